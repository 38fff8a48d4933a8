import ERPProtocol

/// The human-readable page at `/docs`: the merged document's operations grouped by service,
/// rendered on the server into one self-contained HTML page (inline CSS and a few lines of
/// inline JS for the filter box; nothing from a CDN — the machines may have no internet).
enum OpenAPIDocsPage {
    static func render(_ document: JSONValue) -> String {
        var html = head
        html += "<header><h1>ERP suite API</h1><p>Every operation through this gateway. Machine-readable: "
        html += "<a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3.1).</p>"
        html += "<input id=\"filter\" type=\"search\" placeholder=\"Filter by path, method or summary\" autofocus></header><main>"
        let services = document["x-erp-services"].flatMap { value -> [String: JSONValue]? in
            if case .object(let members) = value { members } else { nil }
        } ?? [:]
        let unavailable = services.keys.sorted().filter { services[$0]?["status"] == "unavailable" }
        if !unavailable.isEmpty {
            html += "<aside class=\"note\"><strong>Left out:</strong> the documents of these services could not be fetched just now — "
            html += unavailable.map { "<code>\(escape($0))</code> (\(escape(services[$0]?["reason"]?.stringValue ?? "")))" }.joined(separator: ", ")
            html += ".</aside>"
        }
        let operations = collectOperations(document)
        for service in services.keys.sorted() where services[service]?["status"] == "included" {
            let info = services[service]
            html += "<section class=\"service\" id=\"\(escape(service))\"><h2>\(escape(service))"
            if let version = info?["version"]?.stringValue { html += " <small>\(escape(version))</small>" }
            html += "</h2>"
            if let description = info?["description"]?.stringValue { html += "<p class=\"description\">\(paragraphs(description))</p>" }
            for operation in operations[service] ?? [] { html += render(operation) }
            html += "</section>"
        }
        html += "</main>" + script + "</body></html>\n"
        return html
    }

    struct Operation {
        let method: String
        let path: String
        let body: JSONValue
    }

    /// Operations per service, by path and then in the usual method order.
    static func collectOperations(_ document: JSONValue) -> [String: [Operation]] {
        guard case .object(let paths)? = document["paths"] else { return [:] }
        var result: [String: [Operation]] = [:]
        for path in paths.keys.sorted() {
            for method in OpenAPIMerger.operationMethods {
                guard let operation = paths[path]?[method], let service = operation["x-erp-service"]?.stringValue else { continue }
                result[service, default: []].append(Operation(method: method, path: path, body: operation))
            }
        }
        return result
    }

    static func render(_ operation: Operation) -> String {
        let body = operation.body
        let summary = body["summary"]?.stringValue ?? ""
        let isPublic = body["security"] == .array([])
        var html = "<details class=\"op\" data-search=\"\(escape("\(operation.method) \(operation.path) \(summary)".lowercased()))\">"
        html += "<summary><span class=\"method \(operation.method)\">\(operation.method.uppercased())</span> "
        html += "<code class=\"path\">\(escape(operation.path))</code> <span class=\"summary\">\(escape(summary))</span>"
        html += isPublic ? " <span class=\"badge\">no token</span>" : ""
        html += body["deprecated"] == .bool(true) ? " <span class=\"badge deprecated\">deprecated</span>" : ""
        html += "</summary><div class=\"detail\">"
        if let description = body["description"]?.stringValue { html += "<p>\(paragraphs(description))</p>" }
        if let id = body["operationId"]?.stringValue { html += "<p class=\"meta\">operationId <code>\(escape(id))</code></p>" }
        if case .array(let parameters)? = body["parameters"], !parameters.isEmpty {
            html += "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>schema</th><th>description</th></tr>"
            for parameter in parameters {
                if let reference = parameter["$ref"]?.stringValue {
                    html += "<tr><td colspan=\"4\"><code>\(escape(componentName(reference)))</code></td></tr>"
                    continue
                }
                let required = parameter["required"] == .bool(true) ? " <span class=\"required\">required</span>" : ""
                html += "<tr><td><code>\(escape(parameter["name"]?.stringValue ?? ""))</code>\(required)</td>"
                html += "<td>\(escape(parameter["in"]?.stringValue ?? ""))</td><td>\(escape(schemaLabel(parameter["schema"])))</td>"
                html += "<td>\(escape(parameter["description"]?.stringValue ?? ""))</td></tr>"
            }
            html += "</table>"
        }
        if let requestBody = body["requestBody"] {
            html += "<h4>Request body</h4>"
            if let reference = requestBody["$ref"]?.stringValue {
                html += "<p><code>\(escape(componentName(reference)))</code></p>"
            } else {
                html += contentList(requestBody["content"])
            }
        }
        if case .object(let responses)? = body["responses"] {
            html += "<h4>Responses</h4><table><tr><th>status</th><th>description</th><th>body</th></tr>"
            for status in responses.keys.sorted() {
                let response = responses[status]!
                let reference = response["$ref"]?.stringValue.map(componentName)
                html += "<tr><td><code>\(escape(status))</code></td><td>\(escape(response["description"]?.stringValue ?? reference ?? ""))</td>"
                html += "<td>\(contentList(response["content"]))</td></tr>"
            }
            html += "</table>"
        }
        return html + "</div></details>"
    }

    /// `application/json: auth.User` lines for a content map.
    static func contentList(_ content: JSONValue?) -> String {
        guard case .object(let types)? = content else { return "" }
        return types.keys.sorted().map { type in
            "<code>\(escape(type))</code> \(escape(schemaLabel(types[type]?["schema"])))"
        }.joined(separator: "<br>")
    }

    /// A short name for a schema: the component it refers to, `array of X`, or its type.
    static func schemaLabel(_ schema: JSONValue?) -> String {
        guard let schema else { return "" }
        if let reference = schema["$ref"]?.stringValue { return componentName(reference) }
        if schema["type"] == "array" { return "array of " + schemaLabel(schema["items"]) }
        if case .array(let choices)? = schema["oneOf"] ?? schema["anyOf"] { return choices.map { schemaLabel($0) }.joined(separator: " | ") }
        var label = schema["type"]?.stringValue ?? (schema["properties"] != nil ? "object" : "")
        if case .array(let types)? = schema["type"] { label = types.compactMap(\.stringValue).joined(separator: " | ") }
        if let format = schema["format"]?.stringValue { label += " (\(format))" }
        return label
    }

    static func componentName(_ reference: String) -> String {
        String(reference.split(separator: "/").last ?? Substring(reference))
    }

    static func escape(_ text: String) -> String { text.htmlEscaped }

    /// Escaped text with blank lines as paragraph breaks (descriptions are Markdown; shown as text).
    static func paragraphs(_ text: String) -> String {
        escape(text).split(separator: "\n\n", omittingEmptySubsequences: true).joined(separator: "<br><br>")
    }

    static let head = """
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>ERP suite API</title>
        <style>
        body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2330;color:#fff;padding:16px 24px}header a{color:#9cc3ff}
        header input{width:100%;max-width:480px;padding:6px 8px;font-size:15px;border-radius:4px;border:0}
        main{padding:8px 24px;max-width:1100px}.service h2{border-bottom:2px solid #c9ced8;padding-bottom:4px}
        .service h2 small{font-weight:normal;color:#6a7385;font-size:60%}.description{color:#454d5d}
        .op{background:#fff;border:1px solid #d9dde5;border-radius:6px;margin:6px 0}
        .op>summary{cursor:pointer;padding:8px 10px;list-style:none}.op[open]>summary{border-bottom:1px solid #e4e7ed}
        .detail{padding:4px 14px 12px}.method{display:inline-block;min-width:62px;text-align:center;font-weight:600;
        font-size:12px;color:#fff;border-radius:4px;padding:2px 0;background:#6a7385}
        .get{background:#2f7bd9}.post{background:#2e9d5b}.put{background:#c28a13}.patch{background:#8a5cd0}.delete{background:#d04343}
        .path{font-size:14px}.summary{color:#454d5d}.badge{font-size:11px;border:1px solid #9aa3b5;border-radius:3px;padding:0 4px;color:#454d5d}
        .deprecated{border-color:#d04343;color:#d04343}.required{color:#d04343;font-size:11px}.meta{color:#6a7385;font-size:13px}
        table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;border-bottom:1px solid #eceef2;padding:4px 6px;vertical-align:top}
        .note{background:#fff4d6;border:1px solid #e8c66a;border-radius:6px;padding:8px 12px;margin:12px 0}
        </style></head><body>
        """

    static let script = """
        <script>
        document.getElementById('filter').addEventListener('input', function (event) {
          var needle = event.target.value.toLowerCase();
          document.querySelectorAll('.op').forEach(function (op) {
            op.style.display = op.dataset.search.indexOf(needle) >= 0 ? '' : 'none';
          });
        });
        </script>
        """
}
