/// Cross-origin access for browser front ends (`GATEWAY_CORS_*`). Off when no origin is listed.
struct CORSSettings: Sendable, Hashable {
    /// Allowed origins (`https://app.example.com`), or `["*"]` for any.
    var origins: [String] = []
    /// Allow cookies and `Authorization` from the browser (never combined with a literal `*`).
    var allowCredentials = false
    /// Seconds a browser may cache a preflight answer.
    var maxAgeSeconds = 600

    var enabled: Bool { !origins.isEmpty }
}
