import Foundation
import Synchronization

/// Wakes this replica's open WebSocket streams of a user when a notification for them was just
/// stored here; streams also poll, which covers notifications stored by other replicas.
final class StreamHub: Sendable {
    private let waiters = Mutex<[String: [UUID: WakeSignal]]>([:])

    /// A signal for one stream, and the token to stop it.
    func subscribe(tenant: UUID, user: UUID) -> (WakeSignal, UUID) {
        let signal = WakeSignal()
        let token = UUID()
        waiters.withLock { $0[Self.key(tenant, user), default: [:]][token] = signal }
        return (signal, token)
    }

    func unsubscribe(tenant: UUID, user: UUID, token: UUID) {
        waiters.withLock {
            $0[Self.key(tenant, user)]?.removeValue(forKey: token)
            if $0[Self.key(tenant, user)]?.isEmpty == true { $0.removeValue(forKey: Self.key(tenant, user)) }
        }
    }

    func signal(tenant: UUID, user: UUID) {
        let signals = waiters.withLock { Array(($0[Self.key(tenant, user)] ?? [:]).values) }
        for signal in signals { signal.wake() }
    }

    private static func key(_ tenant: UUID, _ user: UUID) -> String { "\(tenant)/\(user)" }
}
