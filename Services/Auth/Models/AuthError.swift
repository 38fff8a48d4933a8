import ERPProtocol
import ERPServiceKit
import HTTPTypes

/// The auth service's own refusals, each a problem with a stable code. Login failures never
/// say whether the email exists.
struct AuthError: ProblemConvertible, Sendable {
    let problem: ProblemDetails
    let problemHeaders: HTTPFields

    private init(_ code: ProblemCode, _ status: Int, _ title: String, _ detail: String, retryAfter: Int? = nil, wwwAuthenticate: Bool = false) {
        problem = ProblemDetails(code: code, status: status, title: title, detail: detail)
        var headers = HTTPFields()
        if let retryAfter { headers[.retryAfter] = String(max(1, retryAfter)) }
        if wwwAuthenticate { headers[.wwwAuthenticate] = "Bearer" }
        problemHeaders = headers
    }

    static let invalidCredentials = AuthError(
        "invalid_credentials", 401, "Invalid credentials", "The email, password or organization is not correct.", wwwAuthenticate: true)
    static let mfaRequired = AuthError(
        "mfa_required", 401, "Second factor required", "This account uses two-factor authentication: send totpCode or recoveryCode.")
    static let invalidMFACode = AuthError(
        "invalid_mfa_code", 401, "Invalid code", "The authentication code is not correct or was already used.")
    static let organizationRequired = AuthError(
        "organization_required", 422, "Organization required", "This email belongs to several organizations: send organization (its slug).")
    static let invalidRefreshToken = AuthError(
        "invalid_refresh_token", 401, "Invalid refresh token", "The refresh token is not valid, expired or was revoked. Log in again.", wwwAuthenticate: true)
    static let invalidClient = AuthError(
        "invalid_client", 401, "Invalid client", "The client credentials or API key are not valid.", wwwAuthenticate: true)
    static let invalidToken = AuthError(
        "invalid_token", 400, "Invalid or expired link", "This link is not valid, has expired or was already used.")
    static let lastOwner = AuthError(
        "last_owner", 409, "Last owner", "An organization needs at least one active Owner; make someone else Owner first.")
    static let passwordIncorrect = AuthError(
        "password_incorrect", 403, "Password incorrect", "The current password is not correct.")
    static let sessionNotFound = AuthError("not_found", 404, "Not found", "No such session.")

    static func accountLocked(retryAfter seconds: Int) -> AuthError {
        AuthError("account_locked", 423, "Account locked", "Too many failed logins; try again in \(seconds) seconds.", retryAfter: seconds)
    }

    static func loginThrottled(retryAfter seconds: Int) -> AuthError {
        AuthError("login_throttled", 429, "Too many attempts", "Too many failed logins; wait \(seconds) seconds before trying again.", retryAfter: seconds)
    }
}
