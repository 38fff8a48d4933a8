import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `GET /openapi.yaml`: this service's API document (the gateway merges it into the suite's).
struct OpenAPIController {
    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/openapi.yaml", use: document)
    }

    @Sendable func document(_ request: Request, context: ERPRequestContext) async throws -> Response {
        guard let url = CRMApplication.openAPIURL, let data = try? Data(contentsOf: url) else {
            throw ProblemDetails.notFound()
        }
        return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
