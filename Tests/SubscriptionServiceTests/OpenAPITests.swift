import Foundation
import Testing

@testable import SubscriptionService

@Suite("Subscription: OpenAPI document")
struct OpenAPITests {
    /// `METHOD /path` for every operation of openapi.yaml (parameters as `{name}`, as the router describes them).
    static func documentedOperations() throws -> Set<String> {
        let url = try #require(SubscriptionApplication.openAPIURL)
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

    @Test("every route is documented in openapi.yaml and every documented operation exists")
    func documentMatchesRoutes() async throws {
        try await SubscriptionHarness.run { harness in
            let router = SubscriptionApplication.makeRouter(dependencies: harness.dependencies, verifier: nil)
            let platform: Set<String> = ["/health/live", "/health/ready", "/metrics"]
            let routes = Set(router.routes.filter { !platform.contains($0.path.description) }.map { "\($0.method) \($0.path)" })
            let documented = try Self.documentedOperations()
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented but missing: \(documented.subtracting(routes).sorted())")
            #expect(routes.count > 20)
        }
    }
}
