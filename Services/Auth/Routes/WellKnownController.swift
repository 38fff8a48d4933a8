import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `GET /.well-known/jwks.json`: the public signing keys, for every service's verifier.
struct WellKnownController {
    let dependencies: AuthDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/.well-known/jwks.json", use: jwks)
    }

    @Sendable func jwks(_ request: Request, context: ERPRequestContext) async throws -> Response {
        let body = try ERPJSON.encode(try await dependencies.keys.keySet())
        // Short caching: verifiers refetch on an unknown kid anyway.
        return Response(
            status: .ok, headers: [.contentType: "application/jwk-set+json", .cacheControl: "public, max-age=60"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
