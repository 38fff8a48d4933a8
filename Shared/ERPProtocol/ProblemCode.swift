/// The stable, machine-readable error code in every problem body (`"code": "not_found"`).
///
/// Clients branch on this, never on `title` or `detail` (which are for humans and may change).
/// Codes are lowercase snake_case and, once shipped, never change meaning. Services may define
/// their own (`ProblemCode("plan_limit_exceeded")`); the shared ones are below.
public struct ProblemCode: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The code string, e.g. `not_found`.
    public let rawValue: String

    /// A code; by convention lowercase snake_case.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A code; by convention lowercase snake_case.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// 422: the body or query was well-formed but some fields are invalid (see `errors`).
    public static let validationFailed: ProblemCode = "validation_failed"
    /// 400: the body is not valid JSON or does not match the expected shape.
    public static let malformedJSON: ProblemCode = "malformed_json"
    /// 400: a request that is wrong in a way no single field explains.
    public static let badRequest: ProblemCode = "bad_request"
    /// 401: no, an expired or an invalid credential.
    public static let unauthorized: ProblemCode = "unauthorized"
    /// 403: authenticated but lacking the permission.
    public static let forbidden: ProblemCode = "forbidden"
    /// 403: the tenant's plan does not allow more of this (users, storage, AI queries).
    public static let planLimitExceeded: ProblemCode = "plan_limit_exceeded"
    /// 404: no such record for this tenant (also for other tenants' records).
    public static let notFound: ProblemCode = "not_found"
    /// 404: no such route.
    public static let routeNotFound: ProblemCode = "route_not_found"
    /// 405: the route exists but not with this method.
    public static let methodNotAllowed: ProblemCode = "method_not_allowed"
    /// 409: the change conflicts with the current state (duplicate, wrong state transition).
    public static let conflict: ProblemCode = "conflict"
    /// 409: a request with the same `Idempotency-Key` but a different body, or still in flight.
    public static let idempotencyConflict: ProblemCode = "idempotency_conflict"
    /// 412: `If-Match` did not match the current version.
    public static let preconditionFailed: ProblemCode = "precondition_failed"
    /// 428: an update without `If-Match` (or `version`) where one is required.
    public static let preconditionRequired: ProblemCode = "precondition_required"
    /// 413: the body is larger than the route accepts.
    public static let payloadTooLarge: ProblemCode = "payload_too_large"
    /// 415: the body's content type is not accepted.
    public static let unsupportedMediaType: ProblemCode = "unsupported_media_type"
    /// 429: too many requests; `Retry-After` says when to retry.
    public static let rateLimited: ProblemCode = "rate_limited"
    /// 500: a bug or an unexpected failure; details are in the logs under the request id.
    public static let internalError: ProblemCode = "internal_error"
    /// 502: an upstream service answered with something unusable.
    public static let badGateway: ProblemCode = "bad_gateway"
    /// 503: the service or one it depends on is unavailable (or its circuit is open).
    public static let serviceUnavailable: ProblemCode = "service_unavailable"
    /// 504: an upstream service did not answer in time.
    public static let gatewayTimeout: ProblemCode = "gateway_timeout"
}
