import Foundation

/// The operations an `openapi.yaml` documents, as `METHOD /path` (parameters as `{name}`, the way
/// Hummingbird's router describes its routes), so a test can compare a service's document with
/// the routes it really registers. Expects the services' layout: paths indented by two spaces,
/// methods by four, `components:` after the paths.
public enum OpenAPIOperations {
    public static func documented(in url: URL) throws -> Set<String> {
        let text = try String(contentsOf: url, encoding: .utf8)
        var operations = Set<String>()
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("components:") {
                path = nil
            } else if let path, let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }
}
