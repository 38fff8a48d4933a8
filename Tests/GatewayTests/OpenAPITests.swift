import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

@testable import GatewayService

/// The merged OpenAPI document and the docs page, against real upstream processes (one serving
/// JSON, one only YAML, one down) and, as a unit, against the auth service's real document.
@Suite("Gateway OpenAPI aggregation")
struct OpenAPITests {
    @Test("/api/openapi.json merges JSON and YAML documents under public paths, namespaced; a down service is left out and comes back")
    func aggregation() async throws {
        let keys = try TestKeys()
        let yamlOnly = try await TestServers.upstream(name: "stock", jwksFile: keys.jwksFile)
        let jsonPort = FreePort.find()
        let json = try await TestServers.upstream(name: "crm", arguments: ["--openapi-json"], port: jsonPort)
        let downPort = FreePort.find()
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(TestServers.url(yamlOnly))/.well-known/jwks.json",
            "GATEWAY_UPSTREAMS": "stock=\(TestServers.url(yamlOnly)),crm=\(TestServers.url(json)),hrm=http://127.0.0.1:\(downPort)",
            "GATEWAY_OPENAPI_RETRY_MS": "200",
        ])
        var late: ChildProcess?
        defer { [yamlOnly, json, gateway, late].compactMap { $0 }.forEach { $0.stop() } }
        let base = TestServers.url(gateway)

        // No token needed (the gateway checks tokens, as the 401 next to it shows).
        #expect(try await TestHTTP.request("\(base)/api/v1/stock/items").status == 401)
        let reply = try await TestHTTP.request("\(base)/api/openapi.json")
        #expect(reply.status == 200)
        #expect(reply.headers.first(name: "content-type") == "application/json")
        let document = try JSONDecoder().decode(JSONValue.self, from: reply.body)
        #expect(document["openapi"] == "3.1.0")

        let paths = try #require(document["paths"])
        #expect(paths["/api/v1/stock/items"]?["get"]?["operationId"] == "stock.listItems")
        #expect(paths["/api/v1/stock/items/{id}"]?["get"]?["operationId"] == "stock.getItem")
        #expect(paths["/api/v1/crm/items"]?["post"]?["operationId"] == "crm.createItem", "JSON is preferred when served")
        #expect(paths["/health/live"] == nil && paths["/api/v1/stock/health/live"] == nil, "internal paths are not published")
        // The YAML document's default security moved into its operations, under the namespaced scheme.
        #expect(paths["/api/v1/stock/items"]?["get"]?["security"] == [["stock.bearer": []]])
        #expect(paths["/api/v1/stock/items/{id}"]?["get"]?["security"] == [])
        #expect(paths["/api/v1/stock/items"]?["get"]?["tags"] == ["stock.items"])

        let schemas = try #require(document["components"]?["schemas"])
        #expect(schemas["stock.Item"] != nil && schemas["crm.Item"] != nil, "both services' Item survive")
        #expect(schemas["stock.Item"]?["properties"]?["owner"]?["$ref"] == "#/components/schemas/stock.Owner")
        #expect(schemas["stock.Item"]?["properties"]?["created"]?["examples"] == ["2024-01-01"], "YAML scalars keep their text")
        #expect(document["components"]?["securitySchemes"]?["stock.bearer"] != nil)
        #expect(Self.unresolvedReferences(in: document).isEmpty)

        #expect(document["x-erp-services"]?["hrm"]?["status"] == "unavailable")
        #expect(document["x-erp-services"]?["stock"]?["status"] == "included")
        #expect(document["info"]?["description"]?.stringValue?.contains("hrm") == true)

        let page = try await TestHTTP.request("\(base)/docs")
        #expect(page.status == 200)
        #expect(page.headers.first(name: "content-type") == "text/html; charset=utf-8")
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.contains("/api/v1/stock/items/{id}") && html.contains("/api/v1/crm/items"))
        #expect(html.contains("One item &lt;b&gt;bold&lt;/b&gt;"), "document text is escaped")
        #expect(html.contains("Left out") && html.contains("<code>hrm</code>"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "self-contained: nothing from elsewhere")

        // The missing service starts: a later request (after the retry gap) finds it merged.
        late = try await TestServers.upstream(name: "hrm", port: downPort)
        var included = false
        for _ in 0..<100 where !included {
            try await Task.sleep(for: .milliseconds(100))
            let again = try JSONDecoder().decode(JSONValue.self, from: try await TestHTTP.request("\(base)/api/openapi.json").body)
            included = again["x-erp-services"]?["hrm"]?["status"] == "included" && again["paths"]?["/api/v1/hrm/items"] != nil
        }
        #expect(included)
    }

    @Test("the auth service's real YAML document merges with every reference resolving")
    func authDocument() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Services/Auth/openapi.yaml")
        let auth = try OpenAPIDocumentParser.parseYAML(try Data(contentsOf: file))
        let other = try OpenAPIDocumentParser.parseJSON(
            Data(#"{"openapi":"3.1.0","info":{"title":"x","version":"1"},"paths":{"/v1/users":{"get":{"responses":{"200":{"description":"OK"}}}}},"components":{"schemas":{"User":{"type":"object"}},"securitySchemes":{"bearer":{"type":"http","scheme":"bearer"}}}}"#.utf8))
        let merged = OpenAPIMerger.merge(["auth": .available(auth), "crm": .available(other), "hrm": .unavailable(reason: "unreachable")])

        #expect(Self.unresolvedReferences(in: merged).isEmpty, "\(Self.unresolvedReferences(in: merged).prefix(5))")
        let sessions = try #require(merged["paths"]?["/api/v1/auth/sessions"]?["post"])
        #expect(sessions["security"] == [])
        #expect(merged["paths"]?["/api/v1/auth/organization"]?["get"]?["security"] == [["auth.bearer": []]])
        #expect(merged["components"]?["schemas"]?["auth.User"] != nil && merged["components"]?["schemas"]?["crm.User"] != nil)
        #expect(merged["paths"]?["/api/v1/crm/users"]?["get"]?["tags"] == ["crm"])
        // Every path is public and every operation knows its service.
        guard case .object(let paths)? = merged["paths"] else { Issue.record("no paths"); return }
        #expect(paths.keys.allSatisfy { $0.hasPrefix("/api/v1/auth/") || $0.hasPrefix("/api/v1/crm/") })
        let html = OpenAPIDocsPage.render(merged)
        #expect(html.contains("/api/v1/auth/sessions"))
    }

    /// Internal `$ref`s (`#/…`) whose JSON pointer leads nowhere in `document`.
    static func unresolvedReferences(in document: JSONValue) -> [String] {
        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "$ref", case .string(let reference) = member, reference.hasPrefix("#/") { references.append(reference) }
                    collect(member)
                }
            case .array(let elements): elements.forEach(collect)
            default: break
            }
        }
        collect(document)
        return references.filter { reference in
            var node: JSONValue? = document
            for token in reference.dropFirst(2).split(separator: "/") {
                node = node?[OpenAPINamespace.unescapePointer(String(token))]
            }
            return node == nil
        }
    }
}
