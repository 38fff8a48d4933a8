import ERPProtocol
import ERPRedis
import Foundation

/// Login sessions and their refresh-token families in Redis.
///
/// `<prefix>:session:<sid>` is a hash (tenant, user, current and previous secret hashes, the
/// sealed successor for the grace window, times, IP, user agent) that expires after the idle
/// lifetime; `<prefix>:session:<sid>:used` holds every secret hash the family has rotated away
/// from; `<prefix>:user-sessions:<tenant>:<user>` indexes a user's sessions. Rotation is one
/// Lua script, so two refreshes can never both rotate the same token.
struct SessionRepository: Sendable {
    let redis: RedisPool
    let prefix: String

    enum Rotation: Sendable, Equatable {
        /// The presented token was current and is now replaced.
        case rotated(tenant: TenantID, user: UserID)
        /// The presented token was replaced moments ago: answer with the same successor.
        case grace(tenant: TenantID, user: UserID, sealedSuccessor: [UInt8])
        /// An already rotated token came back: the family is revoked.
        case reused(tenant: TenantID, user: UserID)
        /// Unknown, expired or revoked.
        case invalid
    }

    private func key(_ id: SessionID) -> String { "\(prefix):session:\(id)" }
    private func usedKey(_ id: SessionID) -> String { "\(prefix):session:\(id):used" }
    private func userKey(_ tenant: TenantID, _ user: UserID) -> String { "\(prefix):user-sessions:\(tenant):\(user)" }

    func create(_ session: Session, secretHash: String, idleLifetime: Int, absoluteLifetime: Int) async throws {
        let millis = Self.millis(session.createdAt)
        _ = try await redis.pipeline([
            [
                "HSET", .init(key(session.id)), "tenant", .init(session.tenantID.description), "user", .init(session.userID.description),
                "current", .init(secretHash), "created_at", .init(millis), "last_used_at", .init(millis), "rotated_at", .init(millis),
                "ip", .init(session.ip), "user_agent", .init(session.userAgent), "mfa", session.mfa ? "1" : "0",
            ],
            ["PEXPIRE", .init(key(session.id)), .init(idleLifetime * 1000)],
            ["SADD", .init(userKey(session.tenantID, session.userID)), .init(session.id.description)],
            ["PEXPIRE", .init(userKey(session.tenantID, session.userID)), .init(absoluteLifetime * 1000)],
        ])
    }

    private static let rotateScript = RedisScript(
        """
        local s = redis.call('HMGET', KEYS[1], 'current', 'previous', 'rotated_at', 'successor', 'created_at', 'tenant', 'user')
        if not s[1] then return {'invalid'} end
        local now = tonumber(ARGV[4])
        if now - tonumber(s[5]) > tonumber(ARGV[7]) then
          redis.call('DEL', KEYS[1], KEYS[2])
          return {'invalid'}
        end
        if s[1] == ARGV[1] then
          redis.call('HSET', KEYS[1], 'previous', s[1], 'current', ARGV[2], 'successor', ARGV[3], 'rotated_at', ARGV[4],
            'last_used_at', ARGV[4], 'ip', ARGV[8], 'user_agent', ARGV[9])
          redis.call('SADD', KEYS[2], s[1])
          redis.call('PEXPIRE', KEYS[1], ARGV[6])
          redis.call('PEXPIRE', KEYS[2], ARGV[6])
          return {'rotated', s[6], s[7]}
        end
        if s[2] and s[2] == ARGV[1] and now - tonumber(s[3]) <= tonumber(ARGV[5]) then
          return {'grace', s[6], s[7], s[4]}
        end
        if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
          redis.call('DEL', KEYS[1], KEYS[2])
          return {'reused', s[6], s[7]}
        end
        return {'invalid'}
        """
    )

    /// Rotates the family of `token` to `newSecretHash` (see ``Rotation``). A secret that was
    /// never part of the family is just invalid: knowing a session id (it is in access tokens)
    /// must not let anyone revoke the session.
    func rotate(
        _ token: RefreshToken, newSecretHash: String, sealedSuccessor: [UInt8], now: Date, grace: Int, idleLifetime: Int,
        absoluteLifetime: Int, client: ClientInfo
    ) async throws -> Rotation {
        let reply = try await redis.evaluate(
            Self.rotateScript, keys: [key(token.sessionID), usedKey(token.sessionID)],
            arguments: [
                .init(token.secretHash), .init(newSecretHash), .init(bytes: sealedSuccessor), .init(Self.millis(now)), .init(grace * 1000),
                .init(idleLifetime * 1000), .init(absoluteLifetime * 1000), .init(client.ip), .init(client.userAgent),
            ]
        )
        guard let parts = reply.array, let verdict = parts.first?.string else { return .invalid }
        guard parts.count >= 3, let tenant = parts[1].string.flatMap(TenantID.init(string:)), let user = parts[2].string.flatMap(UserID.init(string:)) else {
            return .invalid
        }
        switch verdict {
        case "rotated":
            return .rotated(tenant: tenant, user: user)
        case "grace":
            guard parts.count == 4, let sealed = parts[3].bytes else { return .invalid }
            return .grace(tenant: tenant, user: user, sealedSuccessor: sealed)
        case "reused":
            _ = try await redis.send("SREM", .init(userKey(tenant, user)), .init(token.sessionID.description))
            return .reused(tenant: tenant, user: user)
        default:
            return .invalid
        }
    }

    func find(_ id: SessionID) async throws -> Session? {
        let reply = try await redis.send(
            "HMGET", .init(key(id)), "tenant", "user", "created_at", "last_used_at", "ip", "user_agent", "mfa"
        )
        guard let fields = reply.array, fields.count == 7, let tenant = fields[0].string.flatMap(TenantID.init(string:)),
            let user = fields[1].string.flatMap(UserID.init(string:))
        else { return nil }
        return Session(
            id: id, tenantID: tenant, userID: user,
            createdAt: Self.date(fields[2].int), lastUsedAt: Self.date(fields[3].int),
            ip: fields[4].string ?? "", userAgent: fields[5].string ?? "", mfa: fields[6].string == "1"
        )
    }

    /// The user's live sessions, newest first; ids of expired ones are pruned from the index.
    func sessions(tenant: TenantID, user: UserID) async throws -> [Session] {
        let members = try await redis.send("SMEMBERS", .init(userKey(tenant, user))).array ?? []
        var sessions: [Session] = []
        var stale: [RedisArgument] = []
        for member in members {
            guard let text = member.string, let id = SessionID(string: text) else { continue }
            if let session = try await find(id), session.tenantID == tenant, session.userID == user {
                sessions.append(session)
            } else {
                stale.append(.init(text))
            }
        }
        if !stale.isEmpty { _ = try await redis.send(["SREM", .init(userKey(tenant, user))] + stale) }
        return sessions.sorted { $0.createdAt > $1.createdAt }
    }

    /// Whether the session is still alive (not logged out, revoked or expired).
    func exists(_ id: SessionID) async throws -> Bool {
        try await redis.send("EXISTS", .init(key(id))).int == 1
    }

    /// Whether `token` is the family's current (or just replaced) refresh token.
    func holds(_ token: RefreshToken) async throws -> Bool {
        let reply = try await redis.send("HMGET", .init(key(token.sessionID)), "current", "previous")
        let hashes = (reply.array ?? []).compactMap(\.string)
        return hashes.contains(token.secretHash)
    }

    /// Ends one session; returns it when it existed.
    @discardableResult
    func revoke(_ id: SessionID) async throws -> Session? {
        guard let session = try await find(id) else { return nil }
        _ = try await redis.pipeline([
            ["DEL", .init(key(id)), .init(usedKey(id))],
            ["SREM", .init(userKey(session.tenantID, session.userID)), .init(id.description)],
        ])
        return session
    }

    /// Ends every session of the user, optionally sparing one; returns the ended ids.
    func revokeAll(tenant: TenantID, user: UserID, except kept: SessionID? = nil) async throws -> [SessionID] {
        var revoked: [SessionID] = []
        for session in try await sessions(tenant: tenant, user: user) where session.id != kept {
            if try await revoke(session.id) != nil { revoked.append(session.id) }
        }
        return revoked
    }

    private static func millis(_ date: Date) -> Int { Int((date.timeIntervalSince1970 * 1000).rounded()) }
    private static func date(_ millis: Int64?) -> Date { Date(timeIntervalSince1970: Double(millis ?? 0) / 1000) }
}
