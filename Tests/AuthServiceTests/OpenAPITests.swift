import ERPTestSupport
import Foundation
import Testing

@testable import AuthService

@Suite("Auth: OpenAPI document")
struct OpenAPITests {
    static func documentedOperations() throws -> Set<String> {
        try OpenAPIOperations.documented(in: try #require(AuthApplication.openAPIURL))
    }

    @Test("every route is documented in openapi.yaml and every documented operation exists")
    func documentMatchesRoutes() async throws {
        try await AuthHarness.run { harness, _ in
            let router = AuthApplication.makeRouter(dependencies: harness.dependencies)
            let platform: Set<String> = ["/health/live", "/health/ready", "/metrics"]
            let routes = Set(router.routes.filter { !platform.contains($0.path.description) }.map { "\($0.method) \($0.path)" })
            let documented = try Self.documentedOperations()
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented but missing: \(documented.subtracting(routes).sorted())")
            #expect(routes.count > 40)
        }
    }
}
