import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

@Suite("Notification: OpenAPI document")
struct OpenAPITests {
    @Test("every route is documented in openapi.yaml and every documented operation exists")
    func documentMatchesRoutes() async throws {
        try await NotificationHarness.run { harness in
            let router = NotificationApplication.makeRouter(dependencies: harness.dependencies, verifier: nil)
            let platform: Set<String> = ["/health/live", "/health/ready", "/metrics"]
            let routes = Set(router.routes.filter { !platform.contains($0.path.description) }.map { "\($0.method) \($0.path)" })
                .union(["GET \(NotificationStream.path)"])
            let documented = try OpenAPIOperations.documented(in: try #require(NotificationApplication.openAPIURL))
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented but missing: \(documented.subtracting(routes).sorted())")
            #expect(routes.count >= 3)
        }
    }
}
