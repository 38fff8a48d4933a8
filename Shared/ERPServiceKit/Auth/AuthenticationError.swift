import ERPProtocol
import HTTPTypes

/// Why a bearer token was refused. The caller only learns "unauthorized" plus a short reason;
/// nothing about keys or the token's content.
public struct AuthenticationError: ProblemConvertible, Equatable, CustomStringConvertible {
    private enum Code: String {
        case missingToken = "missing_token"
        case malformedToken = "malformed_token"
        case unsupportedAlgorithm = "unsupported_algorithm"
        case unknownKey = "unknown_key"
        case badSignature = "bad_signature"
        case expired = "expired"
        case notYetValid = "not_yet_valid"
        case wrongIssuer = "wrong_issuer"
        case wrongAudience = "wrong_audience"
        case keysUnavailable = "keys_unavailable"
    }

    private let code: Code

    public static let missingToken = AuthenticationError(code: .missingToken)
    public static let malformedToken = AuthenticationError(code: .malformedToken)
    public static let unsupportedAlgorithm = AuthenticationError(code: .unsupportedAlgorithm)
    public static let unknownKey = AuthenticationError(code: .unknownKey)
    public static let badSignature = AuthenticationError(code: .badSignature)
    public static let expired = AuthenticationError(code: .expired)
    public static let notYetValid = AuthenticationError(code: .notYetValid)
    public static let wrongIssuer = AuthenticationError(code: .wrongIssuer)
    public static let wrongAudience = AuthenticationError(code: .wrongAudience)
    /// The JWKS could not be fetched: our failure, not the caller's (503).
    public static let keysUnavailable = AuthenticationError(code: .keysUnavailable)

    public var description: String { "authentication failed: \(code.rawValue)" }

    public var problem: ProblemDetails {
        switch code {
        case .keysUnavailable:
            return .serviceUnavailable(detail: "Token verification keys are unavailable; retry shortly.")
        case .missingToken:
            return .unauthorized(detail: "A bearer token is required.")
        case .expired:
            return .unauthorized(detail: "The access token has expired.")
        default:
            return .unauthorized(detail: "The access token is not valid.")
        }
    }

    public var problemHeaders: HTTPFields {
        switch code {
        case .keysUnavailable: return [.retryAfter: "5"]
        case .missingToken: return [.wwwAuthenticate: "Bearer"]
        default: return [.wwwAuthenticate: "Bearer error=\"invalid_token\""]
        }
    }
}
