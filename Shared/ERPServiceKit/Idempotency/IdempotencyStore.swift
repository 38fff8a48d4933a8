import ERPCrypto
import ERPProtocol
import ERPRedis
import Foundation

/// Idempotency records in Redis. Claim, complete and release are each one Lua script, so two
/// replicas racing on the same key cannot both run the request.
public struct IdempotencyStore: Sendable {
    /// How long a completed response is replayed (Stripe keeps keys for 24 hours).
    public var retention: Duration
    /// How long a claim blocks retries if its request never finishes (a crashed replica).
    public var claimTimeout: Duration

    private let redis: RedisPool
    private let prefix: String

    public init(redis: RedisPool, prefix: String, retention: Duration = .seconds(86_400), claimTimeout: Duration = .seconds(60)) {
        self.redis = redis
        self.prefix = prefix
        self.retention = retention
        self.claimTimeout = claimTimeout
    }

    enum Claim: Sendable {
        /// The caller owns the key now and must complete or release it.
        case claimed(IdempotencyRecord)
        /// The key already has a record (pending or completed).
        case existing(IdempotencyRecord)
    }

    private static let claimScript = RedisScript("""
        local current = redis.call('GET', KEYS[1])
        if current then return current end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return false
        """)

    /// Replaces the record only while `owner` still holds the claim.
    private static let replaceScript = RedisScript("""
        local current = redis.call('GET', KEYS[1])
        if not current or cjson.decode(current)['owner'] ~= ARGV[1] then return 0 end
        if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
        return 1
        """)

    func key(scope: String, idempotencyKey: String) -> String {
        // Hash the client's key: it is caller-chosen text and keeps the Redis key bounded.
        "\(prefix):idempotency:\(scope):\(SHA256.hexDigest(Array(idempotencyKey.utf8)))"
    }

    func claim(_ key: String, fingerprint: String) async throws -> Claim {
        let record = IdempotencyRecord(state: .pending, fingerprint: fingerprint, owner: UUID().uuidString, response: nil)
        let reply = try await redis.evaluate(
            Self.claimScript, keys: [key],
            arguments: [RedisArgument(bytes: Array(try ERPJSON.encode(record))), RedisArgument(claimTimeout.roundedUpMilliseconds)]
        )
        guard let bytes = reply.bytes else { return .claimed(record) }
        return .existing(try ERPJSON.decode(IdempotencyRecord.self, from: Data(bytes)))
    }

    func complete(_ key: String, claim: IdempotencyRecord, response: IdempotencyRecord.StoredResponse) async throws {
        var record = claim
        record.state = .completed
        record.response = response
        _ = try await redis.evaluate(
            Self.replaceScript, keys: [key],
            arguments: [RedisArgument(claim.owner), RedisArgument(bytes: Array(try ERPJSON.encode(record))), RedisArgument(retention.roundedUpMilliseconds)]
        )
    }

    /// Drops the claim so the client's retry runs the request again (it failed or was refused).
    func release(_ key: String, claim: IdempotencyRecord) async throws {
        _ = try await redis.evaluate(Self.replaceScript, keys: [key], arguments: [RedisArgument(claim.owner), "", "0"])
    }
}
