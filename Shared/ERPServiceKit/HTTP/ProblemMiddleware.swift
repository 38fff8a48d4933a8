import ERPPostgres
import ERPProtocol
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error that escapes a route into an RFC 9457 `application/problem+json` answer.
///
/// The caller's mistakes (bad JSON, wrong types, unknown routes, oversized bodies) become 4xx
/// with a stable `code`; anything unexpected becomes a bare 500 whose body says nothing about
/// the internals — the details go to the log under the request id the body carries.
public struct ProblemMiddleware: RouterMiddleware {
    public typealias Context = ERPRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (problem, headers) = Self.problem(for: error, context: context)
            let stamped = problem.with(requestId: context.requestID, instance: request.uri.path)
            if stamped.status >= 500 {
                context.logger.error(
                    "request failed",
                    metadata: [LogMetadataKey.error: .string(String(reflecting: type(of: error))), LogMetadataKey.httpStatus: "\(stamped.status)"]
                )
            } else {
                context.logger.debug("request refused", metadata: ["erp.problem.code": "\(stamped.code)"])
            }
            return ProblemResponse.make(stamped, extraHeaders: headers)
        }
    }

    static func problem(for error: any Error, context: Context) -> (ProblemDetails, HTTPFields) {
        switch error {
        case let problem as ProblemDetails:
            return (problem, problem.status == 401 ? [.wwwAuthenticate: "Bearer"] : [:])
        case let convertible as any ProblemConvertible:
            return (convertible.problem, convertible.problemHeaders)
        case let decoding as DecodingError:
            return (DecodingProblem.problem(for: decoding), [:])
        case let postgres as PostgresError:
            return (problem(for: postgres), [:])
        case let httpError as any HTTPResponseError:
            return (problem(forStatus: httpError.status, message: (httpError as? HTTPError)?.body, context: context), [:])
        default:
            return (.internalError(), [:])
        }
    }

    /// Database errors a caller can cause map to 4xx; the rest are ours (5xx, no internals).
    static func problem(for error: PostgresError) -> ProblemDetails {
        switch error.code {
        case .uniqueViolation:
            return .conflict(detail: "A record with the same unique values already exists.")
        case .foreignKeyViolation:
            return .validation([], detail: "A referenced record does not exist or is still referenced.")
        case .serializationFailure, .deadlockDetected, .connectionFailed, .poolTimeout, .poolClosed:
            return .serviceUnavailable(detail: "The database is busy or unavailable; retry shortly.")
        default:
            return .internalError()
        }
    }

    static func problem(forStatus status: HTTPResponse.Status, message: String?, context: Context) -> ProblemDetails {
        switch status.code {
        case 404:
            return context.endpointPath == "NotFound" || context.endpointPath == nil
                ? .routeNotFound(detail: "No route matches this path.") : .notFound(detail: message)
        case 405: return .methodNotAllowed(detail: message)
        case 400: return .badRequest(detail: message)
        case 401: return .unauthorized(detail: message)
        case 403: return .forbidden(detail: message)
        case 409: return .conflict(detail: message)
        case 412: return .preconditionFailed(detail: message)
        case 413: return .payloadTooLarge(detail: "The request body is larger than this endpoint accepts.")
        case 415: return .unsupportedMediaType(detail: message)
        case 428: return .preconditionRequired(detail: message)
        case 429: return .rateLimited(detail: message)
        case 502: return .badGateway(detail: nil)
        case 503: return .serviceUnavailable(detail: nil)
        case 504: return .gatewayTimeout(detail: nil)
        case 400..<500:
            var problem = ProblemDetails.badRequest(detail: message)
            problem.status = status.code
            problem.title = status.reasonPhrase
            return problem
        default:
            return .internalError()
        }
    }
}
