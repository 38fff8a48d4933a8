import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Hummingbird

extension ERPRequestContext {
    /// The caller's IP and user agent, for sessions, throttling and the audit log.
    func client(_ request: Request, trustForwardedFor: Bool) -> ClientInfo {
        ClientInfo(
            ip: clientIP(for: request, trustForwardedFor: trustForwardedFor) ?? ClientInfo.unknownIP,
            userAgent: String((request.headers[.userAgent] ?? "").prefix(512))
        )
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
