import ERPPostgres
import ERPProtocol
import Foundation

/// Single-use mailed tokens (email verification, password reset) of the current tenant.
struct UserTokenRepository {
    enum Purpose: String, Sendable {
        case emailVerification = "email_verification"
        case passwordReset = "password_reset"
    }

    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func insert(tenant: TenantID, user: UserID, purpose: Purpose, tokenHash: [UInt8], expiresAt: Date) async throws {
        try await connection.execute(
            """
            INSERT INTO user_tokens (tenant_id, id, user_id, purpose, token_hash, expires_at)
            VALUES (\(tenant.uuid), \(UUID()), \(user.uuid), \(purpose.rawValue), \(tokenHash), \(expiresAt))
            """
        )
    }

    /// Marks the token used and returns its user, or nil when it is unknown, used or expired.
    /// One UPDATE does both, so two concurrent uses cannot both succeed.
    func consume(tokenHash: [UInt8], purpose: Purpose) async throws -> UserID? {
        try await connection.query(
            """
            UPDATE user_tokens SET used_at = now()
            WHERE token_hash = \(tokenHash) AND purpose = \(purpose.rawValue) AND used_at IS NULL AND expires_at > now()
            RETURNING user_id
            """
        ).first.map { UserID(try $0.decode(UUID.self, at: 0)) }
    }

    /// The user of a usable token, without spending it.
    func peek(tokenHash: [UInt8], purpose: Purpose) async throws -> UserID? {
        try await connection.query(
            """
            SELECT user_id FROM user_tokens
            WHERE token_hash = \(tokenHash) AND purpose = \(purpose.rawValue) AND used_at IS NULL AND expires_at > now()
            """
        ).first.map { UserID(try $0.decode(UUID.self, at: 0)) }
    }

    /// Voids a user's other open tokens of `purpose` (a new reset link replaces the old one).
    func invalidate(user: UserID, purpose: Purpose) async throws {
        try await connection.execute(
            "UPDATE user_tokens SET used_at = now() WHERE user_id = \(user.uuid) AND purpose = \(purpose.rawValue) AND used_at IS NULL"
        )
    }
}
