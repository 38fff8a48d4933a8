import ERPProtocol
import Foundation

/// One service's part of the merged document: its paths move under `/api/v1/<service>` (as the
/// gateway routes them) and its component names get a `<service>.` prefix, so two services may
/// both define `Error` or `bearer` without colliding. Every reference to a renamed thing is
/// rewritten with it: `$ref`s, discriminator mappings, link `operationId`s, security
/// requirement keys.
struct OpenAPINamespace {
    static let componentSections: Set<String> = [
        "schemas", "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes", "links", "callbacks", "pathItems",
    ]

    let service: String

    func name(_ original: String) -> String { "\(service).\(original)" }

    /// The public path of a service path, as `RouteTable` routes it back; nil for paths the
    /// gateway does not expose (health, metrics, the document itself).
    func publicPath(_ path: String) -> String? {
        if path == "/v1" { return "/api/v1/\(service)" }
        if path.hasPrefix("/v1/") { return "/api/v1/\(service)/" + path.dropFirst(4) }
        if path.hasPrefix("/.well-known/") { return "/api/v1/\(service)" + path }
        return nil
    }

    /// Rewrites every internal reference in `value` (a whole document or any part of it).
    func rewritingReferences(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var result: [String: JSONValue] = [:]
            result.reserveCapacity(members.count)
            for (key, member) in members {
                switch (key, member) {
                case ("$ref", .string(let reference)):
                    result[key] = .string(rewrite(reference: reference))
                case ("discriminator", .object(var discriminator)):
                    if case .object(let mapping)? = discriminator["mapping"] {
                        // Mapping values are references or bare schema names.
                        discriminator["mapping"] = .object(
                            mapping.mapValues { target in
                                guard case .string(let text) = target else { return target }
                                return .string(text.hasPrefix("#") ? rewrite(reference: text) : text.contains("/") ? text : name(text))
                            })
                    }
                    result[key] = rewritingReferences(.object(discriminator))
                case ("links", .object(let links)):
                    result[key] = .object(links.mapValues { prefixingOperationID(rewritingReferences($0)) })
                default:
                    result[key] = rewritingReferences(member)
                }
            }
            return .object(result)
        case .array(let elements):
            return .array(elements.map(rewritingReferences))
        default:
            return value
        }
    }

    /// `#/components/<section>/<name>…` and `#/paths/<path>…` in this service's document, as
    /// they are called in the merged one; other (external) references stay as they are.
    func rewrite(reference: String) -> String {
        let componentsPrefix = "#/components/"
        if reference.hasPrefix(componentsPrefix) {
            let rest = reference.dropFirst(componentsPrefix.count)
            guard let slash = rest.firstIndex(of: "/"), Self.componentSections.contains(String(rest[..<slash])) else { return reference }
            return componentsPrefix + rest[...slash] + name(String(rest[rest.index(after: slash)...]))
        }
        let pathsPrefix = "#/paths/"
        if reference.hasPrefix(pathsPrefix) {
            let rest = reference.dropFirst(pathsPrefix.count)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            let path = Self.unescapePointer(String(rest[..<end]))
            guard let mapped = publicPath(path) else { return reference }
            return pathsPrefix + Self.escapePointer(mapped) + rest[end...]
        }
        return reference
    }

    /// A security requirement list (`[{"bearer": []}]`) with the scheme names renamed.
    func renamingSchemes(_ requirements: JSONValue) -> JSONValue {
        guard case .array(let list) = requirements else { return requirements }
        return .array(
            list.map { requirement in
                guard case .object(let schemes) = requirement else { return requirement }
                return .object(Dictionary(uniqueKeysWithValues: schemes.map { (name($0.key), $0.value) }))
            })
    }

    /// A Link object names its target operation by id; operation ids are prefixed too.
    func prefixingOperationID(_ link: JSONValue) -> JSONValue {
        guard case .object(var members) = link, case .string(let id)? = members["operationId"] else { return link }
        members["operationId"] = .string(name(id))
        return .object(members)
    }

    /// OAuth flow URLs given as service paths (`/v1/oauth/token`) point through the gateway.
    func publicSecurityScheme(_ scheme: JSONValue) -> JSONValue {
        guard case .object(var members) = scheme else { return scheme }
        if case .string(let url)? = members["openIdConnectUrl"], let mapped = publicPath(url) { members["openIdConnectUrl"] = .string(mapped) }
        guard case .object(var flows)? = members["flows"] else { return .object(members) }
        for (flowName, flow) in flows {
            guard case .object(var settings) = flow else { continue }
            for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                if case .string(let url)? = settings[key], let mapped = publicPath(url) { settings[key] = .string(mapped) }
            }
            flows[flowName] = .object(settings)
        }
        members["flows"] = .object(flows)
        return .object(members)
    }

    static func unescapePointer(_ token: String) -> String {
        token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }

    static func escapePointer(_ text: String) -> String {
        text.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
