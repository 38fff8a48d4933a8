import ERPProtocol
import HTTPTypes

/// Why an `Idempotency-Key` request was not run.
public struct IdempotencyError: ProblemConvertible, Equatable {
    private enum Code: Equatable {
        case malformedKey
        case inProgress
        case keyReused
        case bodyTooLarge
    }

    private let code: Code

    /// The header is empty, too long or not printable ASCII.
    public static let malformedKey = IdempotencyError(code: .malformedKey)
    /// The first request with this key is still running.
    public static let inProgress = IdempotencyError(code: .inProgress)
    /// The key was used before for a different request.
    public static let keyReused = IdempotencyError(code: .keyReused)
    /// The body is over the size an idempotent request may have.
    public static let bodyTooLarge = IdempotencyError(code: .bodyTooLarge)

    public var problem: ProblemDetails {
        switch code {
        case .malformedKey:
            ProblemDetails.validation([.invalid("Idempotency-Key", message: "Use 1 to 255 printable ASCII characters, e.g. a UUID.")])
        case .inProgress:
            .idempotencyConflict(detail: "A request with this Idempotency-Key is still being processed; retry shortly.")
        case .keyReused:
            ProblemDetails(code: "idempotency_key_reused", status: 422, title: "Idempotency key reused",
                           detail: "This Idempotency-Key was used for a different request; use a new key for a new request.")
        case .bodyTooLarge:
            .payloadTooLarge(detail: "The request body is too large.")
        }
    }

    public var problemHeaders: HTTPFields {
        code == .inProgress ? [.retryAfter: "1"] : [:]
    }
}
