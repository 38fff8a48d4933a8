import Foundation
import Hummingbird
import NIOCore

/// The two calls a plan-aware gateway makes, served from files so the test owns the contract's
/// JSON (it writes `OrganizationEntitlements` with the shared type): `POST /v1/oauth/token`
/// grants a platform token to `svc_*` clients that present `secret`, and
/// `GET /v1/organizations/{id}/entitlements` answers `directory/<id>.json` (404 when there is
/// none) to callers bearing that token only.
struct PlanEndpoints: Sendable {
    let directory: String
    let secret: String
    let state: UpstreamState
    let token = "platform-" + UUID().uuidString

    private struct Grant: Decodable {
        var grantType: String
        var clientId: String
        var clientSecret: String
    }

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/oauth/token") { request, _ in
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let grant = try? JSONDecoder().decode(Grant.self, from: Data(buffer: body)),
                grant.grantType == "client_credentials", grant.clientId.hasPrefix("svc_"), grant.clientSecret == secret
            else { return Response(status: .unauthorized) }
            return TestUpstream.json(["accessToken": token, "tokenType": "Bearer", "expiresIn": 3600])
        }
        router.get("/v1/organizations/:organization/entitlements") { request, context in
            state.entitlementFetches.add(1, ordering: .relaxed)
            guard request.headers[.authorization] == "Bearer \(token)" else { return Response(status: .unauthorized) }
            let organization = context.parameters.get("organization") ?? ""
            guard !organization.isEmpty, organization.utf8.allSatisfy({ $0 == 45 || (48...57).contains($0) || (97...122).contains($0) }),
                let data = FileManager.default.contents(atPath: "\(directory)/\(organization).json")
            else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
