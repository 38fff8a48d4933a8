import ERPProtocol
import NIOCore
import NIOHTTP1

/// The bytes of a problem+json answer the gateway writes itself.
enum ProblemResponse {
    static func make(
        _ failure: GatewayFailure, requestID: String, path: String, version: HTTPVersion, allocator: ByteBufferAllocator
    ) -> (HTTPResponseHead, ByteBuffer) {
        let problem = failure.problem.with(requestId: requestID, instance: path)
        let body = (try? ERPJSON.encode(problem)).map { ByteBuffer(bytes: $0) }
            ?? ByteBuffer(string: #"{"code":"internal_error","status":500,"title":"Internal server error"}"#)
        var headers = HTTPHeaders()
        headers.reserveCapacity(6)
        headers.add(name: "content-type", value: ProblemDetails.contentType)
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "x-request-id", value: requestID)
        for (name, value) in failure.headers { headers.add(name: name, value: value) }
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: problem.status), headers: headers)
        return (head, body)
    }
}
