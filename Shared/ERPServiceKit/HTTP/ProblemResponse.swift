import ERPProtocol
import Foundation
import HTTPTypes
import Hummingbird

/// Turns a problem into an `application/problem+json` response.
enum ProblemResponse {
    static func make(_ problem: ProblemDetails, extraHeaders: HTTPFields = [:]) -> Response {
        let body = (try? ERPJSON.encode(problem)) ?? Data(#"{"code":"internal_error","status":500,"title":"Internal Server Error"}"#.utf8)
        var headers: HTTPFields = [.contentType: ProblemDetails.contentType]
        headers.append(contentsOf: extraHeaders)
        return Response(
            status: HTTPResponse.Status(code: problem.status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }
}
