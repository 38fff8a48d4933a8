import ERPPostgres
import Foundation

/// The suite's token signing keys (not tenant data; no tenant scope).
struct SigningKeyRepository {
    struct Record: Sendable {
        var kid: String
        var publicKey: [UInt8]
        var sealedPrivateKey: [UInt8]
        var createdAt: Date
        var retiredAt: Date?
    }

    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// The active key and the retired ones still inside `since`.
    func usable(retiredSince cutoff: Date) async throws -> [Record] {
        try await connection.query(
            """
            SELECT kid, public_key, sealed_private_key, created_at, retired_at FROM signing_keys
            WHERE retired_at IS NULL OR retired_at > \(cutoff) ORDER BY created_at DESC
            """
        ).map { row in
            Record(
                kid: try row.decode(String.self, named: "kid"),
                publicKey: try row.decode([UInt8].self, named: "public_key"),
                sealedPrivateKey: try row.decode([UInt8].self, named: "sealed_private_key"),
                createdAt: try row.decode(Date.self, named: "created_at"),
                retiredAt: try row.decode(Date?.self, named: "retired_at")
            )
        }
    }

    /// Serialises key creation across replicas for the rest of the transaction.
    /// The private key re-sealed under the current key-encryption key (after a key rotation).
    func reseal(kid: String, sealed: [UInt8]) async throws {
        try await connection.execute("UPDATE signing_keys SET sealed_private_key = \(sealed) WHERE kid = \(kid)")
    }

    func lock() async throws {
        _ = try await connection.query("SELECT pg_advisory_xact_lock(hashtext('erp-auth.signing-keys'))")
    }

    func activeCreatedAt() async throws -> Date? {
        try await connection.query("SELECT created_at FROM signing_keys WHERE retired_at IS NULL").first.map { try $0.decode(Date.self, at: 0) }
    }

    /// Retires the active key and makes `record` the active one.
    func activate(_ record: Record) async throws {
        try await connection.execute("UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL")
        try await connection.execute(
            """
            INSERT INTO signing_keys (kid, public_key, sealed_private_key, created_at)
            VALUES (\(record.kid), \(record.publicKey), \(record.sealedPrivateKey), \(record.createdAt))
            """
        )
    }
}
