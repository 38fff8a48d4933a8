import ERPProtocol
import HTTPTypes
import Hummingbird

/// Requires a valid bearer token on every route except the public ones, and records the
/// verified caller in the context. Runs before any handler work, so an unauthenticated request
/// never touches the database.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = ERPRequestContext

    private let verifier: AccessTokenVerifier
    private let publicPaths: PublicPaths

    public init(verifier: AccessTokenVerifier, publicPaths: PublicPaths = .standard) {
        self.verifier = verifier
        self.publicPaths = publicPaths
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let token = Self.bearerToken(in: request.headers)
        if publicPaths.contains(request.uri.path) {
            // A public route still learns who calls when the token is good (logout, for one);
            // a bad token there is ignored rather than refused.
            guard let token, let claims = try? await verifier.verify(token) else {
                return try await next(request, context)
            }
            return try await next(request, Self.authenticated(context, claims: claims, token: token))
        }
        guard let token else { throw AuthenticationError.missingToken }
        let claims = try await verifier.verify(token)
        return try await next(request, Self.authenticated(context, claims: claims, token: token))
    }

    private static func authenticated(_ context: Context, claims: AccessTokenClaims, token: String) -> Context {
        var context = context
        context.identity = Identity(claims: claims)
        context.bearerToken = token
        context.logger[metadataKey: LogMetadataKey.tenantID] = .string(claims.org.description)
        context.logger[metadataKey: LogMetadataKey.userID] = .string(claims.sub)
        return context
    }

    static func bearerToken(in headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

/// Paths that need no token: health, metrics, API docs and whatever a service adds (login…).
public struct PublicPaths: Sendable {
    private var exact: Set<String>
    private var prefixes: [String]

    public init(exact: Set<String> = [], prefixes: [String] = []) {
        self.exact = exact
        self.prefixes = prefixes
    }

    /// Health probes, Prometheus scraping and the OpenAPI document.
    public static let standard = PublicPaths(
        exact: ["/health/live", "/health/ready", "/metrics", "/openapi.json", "/openapi.yaml"]
    )

    public func adding(exact paths: [String] = [], prefixes more: [String] = []) -> PublicPaths {
        PublicPaths(exact: exact.union(paths), prefixes: prefixes + more)
    }

    public func contains(_ path: String) -> Bool {
        exact.contains(path) || prefixes.contains { path.hasPrefix($0) }
    }
}
