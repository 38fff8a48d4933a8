/// A Lua script run with `RedisPool.evaluate`, addressed by its SHA-1 so that normally only
/// the 40-character digest travels (`EVALSHA`), not the source.
///
/// The digest is computed locally when the script is created (see `SHA1`): it is the same name
/// Redis derives in `SCRIPT LOAD`, so no per-pool cache or extra round trip is needed, and a
/// server whose script cache was flushed or restarted is handled by the `NOSCRIPT` fallback.
/// Create scripts once (as `static let`) and reuse them.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// Lowercase hex SHA-1 of `source`, the name `EVALSHA` expects.
    public let sha1: String

    /// A script with the given Lua source.
    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
    }
}
