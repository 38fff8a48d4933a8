import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// First middleware of every service: fixes the request id and the trace position of the
/// request, puts both in the logger's metadata, echoes them on the response, and writes one
/// access-log line per request.
public struct RequestTracingMiddleware: RouterMiddleware {
    public typealias Context = ERPRequestContext

    public static let requestIDField = HTTPField.Name(RequestID.headerName)!
    public static let traceparentField = HTTPField.Name("traceparent")!

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = RequestID.sanitized(request.headers[Self.requestIDField])
        // Our span is a child of the caller's; a missing or malformed traceparent starts a new trace.
        context.trace = request.headers[Self.traceparentField].flatMap(TraceContext.init(traceparent:))?.child() ?? .newRoot()
        context.logger[metadataKey: LogMetadataKey.requestID] = .string(context.requestID)
        context.logger[metadataKey: LogMetadataKey.traceID] = .string(context.trace.traceID)
        context.logger[metadataKey: LogMetadataKey.spanID] = .string(context.trace.spanID)

        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[Self.requestIDField] = context.requestID
        response.headers[Self.traceparentField] = context.trace.traceparent
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "request handled",
            metadata: [
                LogMetadataKey.httpMethod: .string(request.method.rawValue),
                LogMetadataKey.httpPath: .string(request.uri.path),
                LogMetadataKey.httpStatus: .stringConvertible(response.status.code),
                LogMetadataKey.durationMs: .stringConvertible(Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000 + Double(elapsed.components.seconds) * 1000),
            ]
        )
        return response
    }
}
