// The common problems with their status and fixed title, so every service answers the same
// situation with the same status, code and title.

extension ProblemDetails {
    private static func make(_ code: ProblemCode, _ status: Int, _ title: String, _ detail: String?) -> ProblemDetails {
        ProblemDetails(code: code, status: status, title: title, detail: detail)
    }

    /// 422 `validation_failed` listing the offending fields.
    public static func validation(_ issues: [FieldIssue], detail: String? = nil) -> ProblemDetails {
        ProblemDetails(
            code: .validationFailed, status: 422, title: "Validation failed",
            detail: detail ?? "One or more fields are invalid.", errors: issues)
    }

    /// 400 `malformed_json`: the body could not be parsed or has the wrong shape.
    public static func malformedJSON(detail: String? = nil) -> ProblemDetails {
        make(.malformedJSON, 400, "Malformed JSON", detail)
    }

    /// 400 `bad_request`.
    public static func badRequest(detail: String? = nil) -> ProblemDetails {
        make(.badRequest, 400, "Bad request", detail)
    }

    /// 401 `unauthorized`.
    public static func unauthorized(detail: String? = nil) -> ProblemDetails {
        make(.unauthorized, 401, "Unauthorized", detail)
    }

    /// 403 `forbidden`.
    public static func forbidden(detail: String? = nil) -> ProblemDetails {
        make(.forbidden, 403, "Forbidden", detail)
    }

    /// 403 `plan_limit_exceeded`: the tenant's plan caps this resource.
    public static func planLimitExceeded(detail: String? = nil) -> ProblemDetails {
        make(.planLimitExceeded, 403, "Plan limit exceeded", detail)
    }

    /// 404 `not_found`.
    public static func notFound(detail: String? = nil) -> ProblemDetails {
        make(.notFound, 404, "Not found", detail)
    }

    /// 404 `route_not_found`.
    public static func routeNotFound(detail: String? = nil) -> ProblemDetails {
        make(.routeNotFound, 404, "Route not found", detail)
    }

    /// 405 `method_not_allowed`.
    public static func methodNotAllowed(detail: String? = nil) -> ProblemDetails {
        make(.methodNotAllowed, 405, "Method not allowed", detail)
    }

    /// 409 `conflict`.
    public static func conflict(detail: String? = nil) -> ProblemDetails {
        make(.conflict, 409, "Conflict", detail)
    }

    /// 409 `idempotency_conflict`.
    public static func idempotencyConflict(detail: String? = nil) -> ProblemDetails {
        make(.idempotencyConflict, 409, "Idempotency conflict", detail)
    }

    /// 412 `precondition_failed`: the record changed since the caller read it.
    public static func preconditionFailed(detail: String? = nil) -> ProblemDetails {
        make(.preconditionFailed, 412, "Precondition failed", detail)
    }

    /// 428 `precondition_required`: send `If-Match` (or `version`).
    public static func preconditionRequired(detail: String? = nil) -> ProblemDetails {
        make(.preconditionRequired, 428, "Precondition required", detail)
    }

    /// 413 `payload_too_large`.
    public static func payloadTooLarge(detail: String? = nil) -> ProblemDetails {
        make(.payloadTooLarge, 413, "Payload too large", detail)
    }

    /// 415 `unsupported_media_type`.
    public static func unsupportedMediaType(detail: String? = nil) -> ProblemDetails {
        make(.unsupportedMediaType, 415, "Unsupported media type", detail)
    }

    /// 429 `rate_limited`.
    public static func rateLimited(detail: String? = nil) -> ProblemDetails {
        make(.rateLimited, 429, "Too many requests", detail)
    }

    /// 500 `internal_error`; `detail` should stay generic (the logs have the rest).
    public static func internalError(detail: String? = nil) -> ProblemDetails {
        make(.internalError, 500, "Internal server error", detail)
    }

    /// 502 `bad_gateway`.
    public static func badGateway(detail: String? = nil) -> ProblemDetails {
        make(.badGateway, 502, "Bad gateway", detail)
    }

    /// 503 `service_unavailable`.
    public static func serviceUnavailable(detail: String? = nil) -> ProblemDetails {
        make(.serviceUnavailable, 503, "Service unavailable", detail)
    }

    /// 504 `gateway_timeout`.
    public static func gatewayTimeout(detail: String? = nil) -> ProblemDetails {
        make(.gatewayTimeout, 504, "Gateway timeout", detail)
    }
}
