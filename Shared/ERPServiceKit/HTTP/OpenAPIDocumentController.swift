import ERPProtocol
import Foundation
import Hummingbird

/// `GET /openapi.yaml`: the service's API document, a resource of its module (the gateway
/// fetches every service's and serves them merged). Read once: it can't change while running.
public struct OpenAPIDocumentController: Sendable {
    private let document: ByteBuffer?

    /// `url`: the service's `Bundle.module.url(forResource: "openapi", withExtension: "yaml")`;
    /// a missing document answers 404 rather than stopping the service.
    public init(document url: URL?) {
        document = url.flatMap { try? Data(contentsOf: $0) }.map { ByteBuffer(bytes: $0) }
    }

    public func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/openapi.yaml", use: serve)
    }

    @Sendable func serve(_ request: Request, context: ERPRequestContext) async throws -> Response {
        guard let document else { throw ProblemDetails.notFound() }
        return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: document))
    }
}
