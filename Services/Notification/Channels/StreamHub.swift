import Foundation
import Synchronization

/// Wakes this replica's open WebSocket streams of a user when a notification for them was just
/// stored here; streams also poll, which covers notifications stored by other replicas.
final class StreamHub: Sendable {
    private let waiters = Mutex<[String: [UUID: AsyncStream<Void>.Continuation]]>([:])

    /// A signal sequence for one stream, and the token to stop it.
    func subscribe(tenant: UUID, user: UUID) -> (AsyncStream<Void>, UUID) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let token = UUID()
        waiters.withLock { $0[Self.key(tenant, user), default: [:]][token] = continuation }
        return (stream, token)
    }

    func unsubscribe(tenant: UUID, user: UUID, token: UUID) {
        let continuation = waiters.withLock { $0[Self.key(tenant, user)]?.removeValue(forKey: token) }
        continuation?.finish()
    }

    func signal(tenant: UUID, user: UUID) {
        let continuations = waiters.withLock { Array(($0[Self.key(tenant, user)] ?? [:]).values) }
        for continuation in continuations { continuation.yield() }
    }

    private static func key(_ tenant: UUID, _ user: UUID) -> String { "\(tenant)/\(user)" }
}
