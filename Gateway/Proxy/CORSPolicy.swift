import NIOHTTP1

/// Answers CORS preflights at the edge (before authentication: browsers send them without
/// credentials) and adds the CORS response headers to every answer, the gateway's own problems
/// included, so a front end can read a 401 or 429 body.
struct CORSPolicy: Sendable {
    let settings: CORSSettings
    private let anyOrigin: Bool
    private let origins: Set<String>

    static let allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
    static let allowedHeaders = "Authorization, Content-Type, Accept, Accept-Language, Idempotency-Key, If-Match, If-None-Match, X-Request-ID, traceparent"
    static let exposedHeaders = "X-Request-ID, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, ETag, Location, Content-Disposition"

    init(settings: CORSSettings) {
        self.settings = settings
        self.anyOrigin = settings.origins.contains("*")
        self.origins = Set(settings.origins)
    }

    func allows(_ origin: String) -> Bool {
        anyOrigin || origins.contains(origin)
    }

    /// Whether `request` is a preflight (`OPTIONS` + `Origin` + `Access-Control-Request-Method`).
    static func isPreflight(_ request: HTTPRequestHead) -> Bool {
        request.method == .OPTIONS && request.headers.contains(name: "origin")
            && request.headers.contains(name: "access-control-request-method")
    }

    /// The headers of a 204 preflight answer (only `Vary` when the origin is not allowed, which
    /// makes the browser refuse).
    func preflightHeaders(for request: HTTPRequestHead) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "vary", value: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
        guard settings.enabled, let origin = request.headers.first(name: "origin"), allows(origin) else { return headers }
        addOrigin(origin, to: &headers)
        headers.add(name: "access-control-allow-methods", value: Self.allowedMethods)
        headers.add(name: "access-control-allow-headers", value: request.headers.first(name: "access-control-request-headers") ?? Self.allowedHeaders)
        headers.add(name: "access-control-max-age", value: String(settings.maxAgeSeconds))
        return headers
    }

    /// Adds the CORS headers for `request`'s origin to a response (replacing any the service set).
    func decorate(_ headers: inout HTTPHeaders, for request: HTTPRequestHead) {
        guard settings.enabled, let origin = request.headers.first(name: "origin") else { return }
        for name in ["access-control-allow-origin", "access-control-allow-credentials", "access-control-expose-headers"] {
            headers.remove(name: name)
        }
        headers.add(name: "vary", value: "Origin")
        guard allows(origin) else { return }
        addOrigin(origin, to: &headers)
        headers.add(name: "access-control-expose-headers", value: Self.exposedHeaders)
    }

    private func addOrigin(_ origin: String, to headers: inout HTTPHeaders) {
        if anyOrigin && !settings.allowCredentials {
            headers.add(name: "access-control-allow-origin", value: "*")
        } else {
            headers.add(name: "access-control-allow-origin", value: origin)
            if settings.allowCredentials { headers.add(name: "access-control-allow-credentials", value: "true") }
        }
    }
}
