/// Where one request goes: the service, the path the service sees and how long it may take.
struct ResolvedRoute {
    let service: UpstreamService
    /// `/v1/<rest>` (or `/.well-known/…`, `/openapi.*`) plus the original query.
    let upstreamURI: String
    let timeoutMilliseconds: Int64
    /// Needs no token (allow-listed).
    let isPublic: Bool
    /// Login, sign-up, reset and token routes: the tighter per-IP limit.
    let isSensitive: Bool
}
