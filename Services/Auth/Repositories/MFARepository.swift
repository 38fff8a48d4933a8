import ERPPostgres
import ERPProtocol
import Foundation

/// TOTP seeds (sealed) and recovery codes (hashed) of the current tenant's users.
struct MFARepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    struct TOTPState: Sendable {
        var sealedSecret: [UInt8]?
        var sealedPendingSecret: [UInt8]?
        var enabledAt: Date?
        var lastStep: Int?
    }

    /// Locks the user's row: code checks and step updates must not interleave.
    func totpState(_ user: UserID) async throws -> TOTPState? {
        try await connection.query(
            "SELECT totp_secret, totp_pending_secret, totp_enabled_at, totp_last_step FROM users WHERE id = \(user.uuid) FOR UPDATE"
        ).first.map { row in
            TOTPState(
                sealedSecret: try row.decode([UInt8]?.self, named: "totp_secret"),
                sealedPendingSecret: try row.decode([UInt8]?.self, named: "totp_pending_secret"),
                enabledAt: try row.decode(Date?.self, named: "totp_enabled_at"),
                lastStep: try row.decode(Int?.self, named: "totp_last_step")
            )
        }
    }

    func setPendingSecret(_ user: UserID, sealed: [UInt8]) async throws {
        try await connection.execute("UPDATE users SET totp_pending_secret = \(sealed), updated_at = now() WHERE id = \(user.uuid)")
    }

    /// Makes the pending seed the active one.
    func enable(_ user: UserID, step: Int) async throws {
        try await connection.execute(
            """
            UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled_at = now(),
                totp_last_step = \(step), version = version + 1, updated_at = now()
            WHERE id = \(user.uuid)
            """
        )
    }

    func disable(_ user: UserID) async throws {
        try await connection.execute(
            """
            UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL,
                version = version + 1, updated_at = now()
            WHERE id = \(user.uuid)
            """
        )
        try await connection.execute("DELETE FROM recovery_codes WHERE user_id = \(user.uuid)")
    }

    /// Records the accepted time step, so the same code is refused afterwards (RFC 6238 §5.2).
    /// The seed re-sealed under the current key-encryption key (after a key rotation).
    func resealSecret(_ user: UserID, sealed: [UInt8]) async throws {
        try await connection.execute("UPDATE users SET totp_secret = \(sealed) WHERE id = \(user.uuid)")
    }

    func recordStep(_ user: UserID, step: Int) async throws {
        try await connection.execute("UPDATE users SET totp_last_step = \(step) WHERE id = \(user.uuid)")
    }

    func replaceRecoveryCodes(tenant: TenantID, user: UserID, hashes: [[UInt8]]) async throws {
        try await connection.execute("DELETE FROM recovery_codes WHERE user_id = \(user.uuid)")
        for hash in hashes {
            try await connection.execute("INSERT INTO recovery_codes (tenant_id, user_id, code_hash) VALUES (\(tenant.uuid), \(user.uuid), \(hash))")
        }
    }

    /// Uses up a recovery code; false when it is unknown or was used.
    func consumeRecoveryCode(_ user: UserID, hash: [UInt8]) async throws -> Bool {
        try await connection.execute(
            "UPDATE recovery_codes SET used_at = now() WHERE user_id = \(user.uuid) AND code_hash = \(hash) AND used_at IS NULL"
        ) == 1
    }

    func remainingRecoveryCodes(_ user: UserID) async throws -> Int {
        try await connection.query("SELECT count(*)::int8 FROM recovery_codes WHERE user_id = \(user.uuid) AND used_at IS NULL").first!.decode(Int.self, at: 0)
    }
}
