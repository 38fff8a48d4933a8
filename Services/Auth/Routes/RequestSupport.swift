import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let idempotencyKey = Self("Idempotency-Key")!
}

extension ERPRequestContext {
    /// The caller's IP and user agent. Behind the gateway the peer is the gateway, so the last
    /// `X-Forwarded-For` hop (the one the gateway appended) is the client.
    func client(_ request: Request, trustForwardedFor: Bool) -> ClientInfo {
        var ip = remoteAddress ?? ClientInfo.unknownIP
        if trustForwardedFor, let forwarded = request.headers[.xForwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty, last.count <= 64
        {
            ip = last
        }
        return ClientInfo(ip: ip, userAgent: String((request.headers[.userAgent] ?? "").prefix(512)))
    }

    /// The tenant and user of a user token (service tokens are refused on "me" routes).
    func requireUser() throws -> (TenantID, UserID) {
        let identity = try requireIdentity()
        guard let user = identity.userID else {
            throw ProblemDetails.forbidden(detail: "This route is for users; service accounts and API keys cannot use it.")
        }
        return (identity.tenantID, user)
    }
}

extension Request {
    /// The version an update must apply to: `If-Match: "<version>"` (weak tags accepted).
    /// Updates without it are refused (428), so two admins cannot silently overwrite each other.
    func requiredVersion() throws -> Int {
        guard let header = headers[.ifMatch] else {
            throw ProblemDetails.preconditionRequired(detail: "Send If-Match with the ETag from the last read.")
        }
        let trimmed = header.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
        guard let version = Int(trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else {
            throw ProblemDetails.preconditionFailed(detail: "If-Match does not hold a version of this record.")
        }
        return version
    }

    func uuidParameter(_ name: String, context: ERPRequestContext) throws -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw ProblemDetails.notFound()
        }
        return id
    }
}

/// `ETag: "<version>"` for a record.
func etag(_ version: Int) -> HTTPFields {
    [.eTag: "\"\(version)\""]
}

/// A JSON answer with a status and headers.
func respond<Body: ResponseEncodable>(_ body: Body, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> EditedResponse<Body> {
    EditedResponse(status: status, headers: headers, response: body)
}

/// Whitespace-trimmed, non-empty, at most `maximum` characters, or a 422 naming `field`.
func requireText(_ text: String?, field: String, maximum: Int = 200) throws -> String {
    let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw ProblemDetails.validation([.required(field)]) }
    guard trimmed.count <= maximum else {
        throw ProblemDetails.validation([.outOfRange(field, message: "Use at most \(maximum) characters.")])
    }
    return trimmed
}
