import ERPProtocol

/// Builds the suite's one OpenAPI 3.1 document from the services' documents: paths under their
/// public `/api/v1/<service>/…` form, components and tags namespaced per service (see
/// `OpenAPINamespace`), each operation marked with `x-erp-service` and carrying its own
/// `security` (a service's document-wide default is copied into its operations, since the merged
/// document has no single default). Services whose document could not be fetched are left out
/// and named in `info.description` and `x-erp-services`.
enum OpenAPIMerger {
    static let operationMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    static func merge(_ documents: [String: ServiceDocument]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        var components: [String: [String: JSONValue]] = [:]
        var webhooks: [String: JSONValue] = [:]
        var tags: [JSONValue] = []
        var tagGroups: [JSONValue] = []
        var services: [String: JSONValue] = [:]
        var missing: [String] = []

        for service in documents.keys.sorted() {
            guard case .available(let original)? = documents[service] else {
                if case .unavailable(let reason)? = documents[service] {
                    services[service] = .object(["status": .string("unavailable"), "reason": .string(reason)])
                    missing.append("\(service) (\(reason))")
                }
                continue
            }
            let namespace = OpenAPINamespace(service: service)
            let document = namespace.rewritingReferences(original)
            let defaultSecurity = document["security"]
            var serviceTags: [String] = []
            func useTag(_ tag: String) {
                if !serviceTags.contains(tag) { serviceTags.append(tag) }
            }
            if case .array(let declared)? = document["tags"] {
                for case .object(var tag) in declared {
                    guard case .string(let name)? = tag["name"] else { continue }
                    tag["name"] = .string(namespace.name(name))
                    tags.append(.object(tag))
                    useTag(namespace.name(name))
                }
            }

            var operationCount = 0
            if case .object(let servicePaths)? = document["paths"] {
                for (path, item) in servicePaths {
                    guard let publicPath = namespace.publicPath(path), case .object(var members) = item else { continue }
                    // Server overrides would send callers around the gateway.
                    members.removeValue(forKey: "servers")
                    for method in operationMethods {
                        guard case .object(var operation)? = members[method] else { continue }
                        operationCount += 1
                        operation.removeValue(forKey: "servers")
                        if case .string(let id)? = operation["operationId"] { operation["operationId"] = .string(namespace.name(id)) }
                        var operationTags: [String] = []
                        if case .array(let listed)? = operation["tags"] {
                            for case .string(let tag) in listed { operationTags.append(namespace.name(tag)) }
                        }
                        if operationTags.isEmpty { operationTags = [service] }
                        operationTags.forEach(useTag)
                        operation["tags"] = .array(operationTags.map(JSONValue.string))
                        if let security = operation["security"] ?? defaultSecurity { operation["security"] = namespace.renamingSchemes(security) }
                        operation["x-erp-service"] = .string(service)
                        members[method] = .object(operation)
                    }
                    paths[publicPath] = .object(members)
                }
            }
            if case .object(let sections)? = document["components"] {
                for (section, entries) in sections where OpenAPINamespace.componentSections.contains(section) {
                    guard case .object(let named) = entries else { continue }
                    for (name, value) in named {
                        let adjusted: JSONValue
                        switch section {
                        case "links": adjusted = namespace.prefixingOperationID(value)
                        case "securitySchemes": adjusted = namespace.publicSecurityScheme(value)
                        default: adjusted = value
                        }
                        components[section, default: [:]][namespace.name(name)] = adjusted
                    }
                }
            }
            if case .object(let hooks)? = document["webhooks"] {
                for (name, item) in hooks { webhooks[namespace.name(name)] = item }
            }
            if serviceTags.contains(service) && !tags.contains(where: { $0["name"] == .string(service) }) {
                tags.append(.object(["name": .string(service)]))
            }
            tagGroups.append(.object(["name": .string(service), "tags": .array(serviceTags.map(JSONValue.string))]))
            var summary: [String: JSONValue] = ["status": .string("included"), "operations": .integer(Int64(operationCount))]
            summary["title"] = document["info"]?["title"]
            summary["version"] = document["info"]?["version"]
            summary["description"] = document["info"]?["description"]
            summary["openapi"] = document["openapi"]
            services[service] = .object(summary)
        }

        var description =
            "Every service of the suite through the gateway: `/api/v1/<service>/…`. Send `Authorization: Bearer <access token>` "
            + "except where an operation's `security` is empty. Errors are RFC 9457 `application/problem+json` with a stable `code`."
        if !missing.isEmpty {
            description += "\n\nLeft out because their documents could not be fetched just now: " + missing.joined(separator: ", ") + "."
        }
        var merged: [String: JSONValue] = [
            "openapi": "3.1.0",
            "info": .object(["title": "ERP suite API", "version": "1", "description": .string(description)]),
            "servers": .array([.object(["url": "/", "description": "this gateway"])]),
            "paths": .object(paths),
            "tags": .array(tags),
            "x-tagGroups": .array(tagGroups),
            "x-erp-services": .object(services),
        ]
        if !components.isEmpty { merged["components"] = .object(components.mapValues(JSONValue.object)) }
        if !webhooks.isEmpty { merged["webhooks"] = .object(webhooks) }
        return .object(merged)
    }
}
