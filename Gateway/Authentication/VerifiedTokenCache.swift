import ERPProtocol
import Foundation

/// Tokens this event loop has verified, kept until they expire, so the Ed25519 check
/// (~150 µs) is paid once per token and loop rather than once per request. Keyed by what the
/// request carried (the whole `Authorization` value, or the query token). One loop owns it:
/// no lock. Bounded: when full, expired entries go, and if that is not enough, all of them.
final class VerifiedTokenCache {
    private struct Entry {
        let identity: CallerIdentity
        let expiry: TimeInterval
    }

    private var entries: [String: Entry] = [:]
    private let capacity: Int
    /// The last token looked up and its entry: comparing a token costs a `memcmp`, hashing it
    /// (a few hundred bytes) several times that, and clients send the same token again and again.
    private var last: (token: String, entry: Entry)?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// Who a token verified before and not yet expired acts for.
    func identity(for token: String, now: TimeInterval = Date().timeIntervalSince1970) -> CallerIdentity? {
        let entry: Entry
        if let last, last.token == token {
            entry = last.entry
        } else {
            guard let found = entries[token] else { return nil }
            entry = found
            last = (token, found)
        }
        guard now < entry.expiry else {
            entries[token] = nil
            last = nil
            return nil
        }
        return entry.identity
    }

    func insert(_ token: String, claims: AccessTokenClaims, identity: CallerIdentity, now: TimeInterval = Date().timeIntervalSince1970) {
        if entries.count >= capacity {
            entries = entries.filter { $0.value.expiry > now }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        }
        entries[token] = Entry(identity: identity, expiry: claims.exp.timeIntervalSince1970)
    }
}
