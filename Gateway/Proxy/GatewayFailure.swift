import ERPProtocol
import ERPServiceKit

/// Every way the gateway itself answers instead of the service, with its problem `code`.
/// Clients branch on the code; the detail is for humans and never names hosts or tokens.
enum GatewayFailure: Error {
    case routeNotFound
    case badPath
    /// The client sent something that is not HTTP/1.1.
    case malformedRequest
    case unauthenticated(AuthenticationError)
    case rateLimited(retryAfterSeconds: Int)
    case rateLimiterUnavailable
    /// The organization's plan is read-only (unpaid or canceled) and the request writes.
    case subscriptionReadOnly
    /// No instance could be connected to (refused, unreachable, connect timeout, all ejected).
    case upstreamUnavailable
    /// Every instance's circuit breaker is open.
    case circuitOpen
    case upstreamTimeout
    /// The upstream closed early or answered with something that is not HTTP.
    case badGateway
    case payloadTooLarge
    case internalError

    static let upstreamUnavailableCode: ProblemCode = "upstream_unavailable"
    static let circuitOpenCode: ProblemCode = "circuit_open"
    static let rateLimiterUnavailableCode: ProblemCode = "rate_limiter_unavailable"
    /// The same code services answer through the kit's `EntitlementClient.requireWritable`.
    static let subscriptionReadOnlyCode: ProblemCode = "subscription_read_only"

    var problem: ProblemDetails {
        switch self {
        case .routeNotFound:
            return .routeNotFound(detail: "No service is routed at this path; paths look like /api/v1/<service>/….")
        case .badPath:
            return .badRequest(detail: "The path contains dot segments or encoded slashes.")
        case .malformedRequest:
            return .badRequest(detail: "The request is not valid HTTP/1.1.")
        case .unauthenticated(let error):
            return error.problem
        case .rateLimited:
            return .rateLimited(detail: "Too many requests; retry after the time in Retry-After.")
        case .rateLimiterUnavailable:
            return ProblemDetails(
                code: Self.rateLimiterUnavailableCode, status: 503, title: "Service unavailable",
                detail: "The rate limiter is unavailable; retry shortly.")
        case .subscriptionReadOnly:
            return ProblemDetails(
                code: Self.subscriptionReadOnlyCode, status: 403, title: "Subscription inactive",
                detail: "The organization's subscription is unpaid or canceled; data can be read but not changed until it is paid.")
        case .upstreamUnavailable:
            return ProblemDetails(
                code: Self.upstreamUnavailableCode, status: 503, title: "Service unavailable",
                detail: "No instance of the service is reachable.")
        case .circuitOpen:
            return ProblemDetails(
                code: Self.circuitOpenCode, status: 503, title: "Service unavailable",
                detail: "The service is failing; calls are paused briefly.")
        case .upstreamTimeout:
            return .gatewayTimeout(detail: "The service did not answer in time.")
        case .badGateway:
            return .badGateway(detail: "The service answered with an invalid response.")
        case .payloadTooLarge:
            return .payloadTooLarge(detail: "The request body is larger than the gateway accepts.")
        case .internalError:
            return .internalError(detail: "The gateway failed to handle the request.")
        }
    }

    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    var headers: [(String, String)] {
        switch self {
        case .unauthenticated(let error):
            return error.problemHeaders.map { ($0.name.rawName, $0.value) }
        case .rateLimited(let seconds):
            return [("retry-after", String(max(1, seconds)))]
        case .rateLimiterUnavailable, .circuitOpen, .upstreamUnavailable:
            return [("retry-after", "1")]
        default:
            return []
        }
    }
}
