import ERPProtocol
import Foundation
import HTTPTypes
import Hummingbird

extension Request {
    /// The version an update must apply to, from `If-Match: "<version>"` (weak tags accepted).
    /// Updates without it are refused (428 `precondition_required`), so two people cannot
    /// silently overwrite each other; compare it with the stored version and answer 412 on a
    /// mismatch.
    public func requiredVersion() throws -> Int {
        guard let header = headers[.ifMatch] else {
            throw ProblemDetails.preconditionRequired(detail: "Send If-Match with the ETag from the last read.")
        }
        let trimmed = header.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
        guard let version = Int(trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else {
            throw ProblemDetails.preconditionFailed(detail: "If-Match does not hold a version of this record.")
        }
        return version
    }

    /// Refuses (428 `idempotency_key_required`) a request that creates something that must never
    /// happen twice (a payment) unless it carries `Idempotency-Key`; the `IdempotencyMiddleware`
    /// then replays the first answer to any retry.
    public func requireIdempotencyKey() throws {
        guard headers[IdempotencyMiddleware.keyField] != nil else {
            throw ProblemDetails(code: "idempotency_key_required", status: 428, title: "Idempotency-Key required",
                                 detail: "This request creates a charge; send an Idempotency-Key so a retry cannot repeat it.")
        }
    }

    /// A UUID path parameter; anything else is a 404 (no such record), never a 500.
    public func uuidParameter(_ name: String, context: some RequestContext) throws -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw ProblemDetails.notFound()
        }
        return id
    }
}

extension HTTPFields {
    /// `ETag: "<version>"` for a record read or written at `version`.
    public static func etag(_ version: Int) -> HTTPFields {
        [.eTag: "\"\(version)\""]
    }
}
