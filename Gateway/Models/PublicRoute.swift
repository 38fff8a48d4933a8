/// A route callers may use without a token: a method (nil = any) and a public path, matched
/// exactly or, when `isPrefix`, as a prefix.
struct PublicRoute: Sendable, Hashable {
    var method: String?
    var path: String
    var isPrefix: Bool

    init(method: String?, path: String, isPrefix: Bool = false) {
        self.method = method
        self.path = path
        self.isPrefix = isPrefix
    }

    /// Parses `POST /api/v1/auth/sessions`, `/api/v1/auth/.well-known/jwks.json` or
    /// `GET /api/v1/crm/public/*` (a trailing `*` makes a prefix).
    init?(parsing text: String) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(parts.count) else { return nil }
        var path = String(parts[parts.count - 1])
        guard path.hasPrefix("/") else { return nil }
        let method = parts.count == 2 ? parts[0].uppercased() : nil
        let isPrefix = path.hasSuffix("*")
        if isPrefix { path.removeLast() }
        self.init(method: method, path: path, isPrefix: isPrefix)
    }

    /// Cheap rejections first (every request is checked against every public route): methods
    /// are small strings (compared as raw bits), then lengths, then bytes.
    func matches(method candidate: String, path candidatePath: Substring) -> Bool {
        if let method, method != candidate { return false }
        let length = candidatePath.utf8.count
        if isPrefix {
            return length >= path.utf8.count && candidatePath.utf8.starts(with: path.utf8)
        }
        return length == path.utf8.count && candidatePath.utf8.elementsEqual(path.utf8)
    }

    /// What needs no token by default: the auth service's sign-up, login, token, logout,
    /// invitation, password-reset and e-mail verification endpoints, its JWKS, the plan catalog
    /// (pricing pages) and the payment provider's signed webhooks, and every service's OpenAPI
    /// document.
    static let defaults: [PublicRoute] = [
        PublicRoute(method: "POST", path: "/api/v1/auth/organizations"),
        PublicRoute(method: "POST", path: "/api/v1/auth/sessions"),
        PublicRoute(method: "POST", path: "/api/v1/auth/tokens/refresh"),
        PublicRoute(method: "POST", path: "/api/v1/auth/oauth/token"),
        PublicRoute(method: "POST", path: "/api/v1/auth/logout"),
        PublicRoute(method: "POST", path: "/api/v1/auth/invitations/accept"),
        PublicRoute(method: "POST", path: "/api/v1/auth/password-reset"),
        PublicRoute(method: "POST", path: "/api/v1/auth/password-reset/confirm"),
        PublicRoute(method: "POST", path: "/api/v1/auth/email-verification/confirm"),
        PublicRoute(method: "GET", path: "/api/v1/auth/.well-known/jwks.json"),
        PublicRoute(method: "GET", path: "/.well-known/jwks.json"),
        PublicRoute(method: "GET", path: "/api/v1/subscription/plans"),
        PublicRoute(method: "GET", path: "/api/v1/subscription/plans/", isPrefix: true),
        PublicRoute(method: "POST", path: "/api/v1/subscription/webhooks/payments"),
    ]

    /// Public routes where guessing is the attack (login, sign-up, reset, token endpoints):
    /// they get the tighter per-IP limit.
    static let sensitiveDefaults: [PublicRoute] = [
        PublicRoute(method: "POST", path: "/api/v1/auth/organizations"),
        PublicRoute(method: "POST", path: "/api/v1/auth/sessions"),
        PublicRoute(method: "POST", path: "/api/v1/auth/oauth/token"),
        PublicRoute(method: "POST", path: "/api/v1/auth/password-reset"),
        PublicRoute(method: "POST", path: "/api/v1/auth/password-reset/confirm"),
        PublicRoute(method: "POST", path: "/api/v1/auth/invitations/accept"),
    ]
}
