import ERPProtocol
import Foundation
import Synchronization

/// Access tokens this process has verified, with their claims, until they expire: the Ed25519
/// check (~150 µs on these machines, more than the rest of a cached read) is paid once per token
/// rather than once per request. The verifier still checks lifetime and that the signing key is
/// still published on every hit, so a withdrawn key stops its tokens at once.
///
/// Bounded: when full, expired entries go, and if that is not enough, all of them (a burst of
/// new tokens then costs verifications, never memory).
public final class VerifiedClaimsCache: Sendable {
    struct Entry: Sendable {
        let claims: AccessTokenClaims
        let kid: String
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    public var count: Int { entries.withLock { $0.count } }

    func entry(for token: String) -> Entry? {
        entries.withLock { $0[token] }
    }

    func insert(_ token: String, claims: AccessTokenClaims, kid: String, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.claims.exp > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = Entry(claims: claims, kid: kid)
        }
    }

    func remove(_ token: String) {
        _ = entries.withLock { $0.removeValue(forKey: token) }
    }
}
