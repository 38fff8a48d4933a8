import ERPProtocol
import ERPServiceKit
import Hummingbird

/// Access tokens are stateless for the other services, but this one knows its sessions: a
/// user token whose session was logged out or revoked is refused here at once, instead of
/// working until it expires.
struct SessionLivenessMiddleware: RouterMiddleware {
    typealias Context = ERPRequestContext

    let sessions: SessionRepository

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let claims = context.identity?.claims, claims.kind == .user, let sid = claims.sid, try await !sessions.exists(sid) {
            // On a public route (logout, refresh) the caller simply counts as anonymous.
            guard AuthApplication.publicPaths.contains(request.uri.path) else {
                throw AuthenticationError.missingToken
            }
            var anonymous = context
            anonymous.identity = nil
            anonymous.bearerToken = nil
            return try await next(request, anonymous)
        }
        return try await next(request, context)
    }
}
