/// The OpenAPI documents the test upstream serves: YAML at `/openapi.yaml` always (document-wide
/// security, tags, refs between components, a public operation, an internal path the gateway
/// must leave out); JSON at `/openapi.json` with `--openapi-json` (a colliding `Item`).
enum TestOpenAPIDocuments {
    static let yaml = """
        openapi: 3.1.0
        info: { title: test-upstream, version: 2.0.0, description: Served as YAML. }
        security:
          - bearer: []
        tags:
          - name: items
            description: Things the upstream keeps
        paths:
          /v1/items:
            get:
              tags: [items]
              operationId: listItems
              summary: List items
              parameters: [{ $ref: '#/components/parameters/Limit' }]
              responses:
                '200': { description: OK, content: { application/json: { schema: { type: array, items: { $ref: '#/components/schemas/Item' } } } } }
          /v1/items/{id}:
            get:
              operationId: getItem
              summary: One item <b>bold</b>
              security: []
              responses:
                '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Item' } } } }
          /health/live:
            get: { summary: Liveness, responses: { '200': { description: OK } } }
        components:
          securitySchemes:
            bearer: { type: http, scheme: bearer }
          parameters:
            Limit: { name: limit, in: query, schema: { type: integer } }
          schemas:
            Item:
              type: object
              properties:
                id: { type: string, format: uuid }
                created: { type: string, examples: [2024-01-01] }
                owner: { $ref: '#/components/schemas/Owner' }
            Owner: { type: object, properties: { name: { type: string } } }

        """

    static let json = """
        {"openapi":"3.1.0","info":{"title":"json-upstream","version":"1.0.0"},
         "paths":{"/v1/items":{"post":{"operationId":"createItem","summary":"Create an item",
           "requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Item"}}}},
           "responses":{"201":{"description":"Created"}}}}},
         "components":{"schemas":{"Item":{"type":"object","properties":{"name":{"type":"string"}}}}}}
        """
}
