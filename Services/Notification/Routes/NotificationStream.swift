import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// `GET /v1/notifications/stream` (WebSocket): the caller's new in-app notifications as they
/// arrive, one JSON text frame each (`InAppNotification`). The token comes in `Authorization:
/// Bearer …` or, for browsers, in `?access_token=…`; `?after=<sequence>` resumes after the last
/// notification a client saw (default: only new ones).
///
/// Fan-out across replicas: each open stream polls its user's rows (`sequence > last`, an index
/// lookup) every `NOTIFICATION_STREAM_POLL_MS`, and is woken at once when this replica stores one.
/// No Redis pub/sub: the rows are the source of truth, a poll cannot miss what a lost pub/sub
/// message would, and resuming after a reconnect is the same query.
struct NotificationStream {
    static let path = "/v1/notifications/stream"

    let dependencies: NotificationDependencies
    let verifier: AccessTokenVerifier?

    func router() -> Router<BasicWebSocketRequestContext> {
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws(RouterPath(stringLiteral: Self.path)) { request, _ in
            _ = try await authenticate(request)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let (tenant, user) = try await authenticate(context.request)
            let after = context.request.uri.queryParameters.get("after").flatMap(Int64.init)
            try await stream(tenant: tenant, user: user, after: after, outbound: outbound) {
                for try await _ in inbound {}
            }
        }
        return router
    }

    private func authenticate(_ request: Request) async throws -> (TenantID, UUID) {
        let header = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        let query = request.uri.queryParameters.get("access_token").map { String($0) }
        guard let verifier, let token = header ?? query else {
            throw HTTPError(.unauthorized)
        }
        guard let claims = try? await verifier.verify(token) else { throw HTTPError(.unauthorized) }
        let identity = Identity(claims: claims)
        guard !claims.isPlatform, identity.has("notification.notification.read"), let user = identity.userID?.uuid else {
            throw HTTPError(.forbidden)
        }
        return (identity.tenantID, user)
    }

    /// Sends notifications until the client goes away (`untilClosed` returns).
    private func stream(
        tenant: TenantID, user: UUID, after: Int64?, outbound: WebSocketOutboundWriter,
        untilClosed: @escaping @Sendable () async throws -> Void
    ) async throws {
        let hub = dependencies.hub
        let (signal, token) = hub.subscribe(tenant: tenant.uuid, user: user)
        defer { hub.unsubscribe(tenant: tenant.uuid, user: user, token: token) }
        var start = after ?? 0
        if after == nil { start = try await dependencies.inTenant(tenant) { try await InAppRepository($0).latestSequence(user: user) } }
        let poll = Duration.milliseconds(dependencies.configuration.streamPollMilliseconds)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await untilClosed() }
            group.addTask { [start] in
                var last = start
                while !Task.isCancelled {
                    let fresh = try await dependencies.inTenant(tenant) { try await InAppRepository($0).after(user: user, sequence: last, limit: 100) }
                    for notification in fresh {
                        try await outbound.write(.text(String(decoding: try ERPJSON.encode(notification), as: UTF8.self)))
                        last = notification.sequence
                    }
                    if fresh.count == 100 { continue }
                    // Woken by this replica, or look again after the poll interval.
                    await signal.wait(poll)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
