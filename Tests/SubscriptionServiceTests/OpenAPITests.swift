import ERPTestSupport
import Foundation
import Testing

@testable import SubscriptionService

@Suite("Subscription: OpenAPI document")
struct OpenAPITests {
    static func documentedOperations() throws -> Set<String> {
        try OpenAPIOperations.documented(in: try #require(SubscriptionApplication.openAPIURL))
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
