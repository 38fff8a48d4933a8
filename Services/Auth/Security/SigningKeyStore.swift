import ERPCrypto
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Logging

/// The Ed25519 keys that sign access tokens, shared by every replica through Postgres.
///
/// One key is active and signs; after a rotation the previous keys stay in the JWKS (and keep
/// verifying) until every token they signed has expired. Each replica re-reads the table at
/// most every `refreshInterval`, and at once when asked for a `kid` it does not know.
actor SigningKeyStore: VerificationKeyProvider {
    private let pool: PostgresPool
    private let box: SecretBox
    /// How long a retired key stays published: the access-token lifetime plus clock leeway.
    private let retention: TimeInterval
    private let rotationInterval: TimeInterval
    private let refreshInterval: TimeInterval
    private let logger: Logger

    private var signer: AccessTokenSigner?
    private var publicKeys: [String: Ed25519.PublicKey] = [:]
    private var loadedAt = Date.distantPast

    static let sealPurpose = "erp-auth.signing-key"

    /// `prepare()` was not run, or the key table was emptied behind our back.
    struct NoActiveKey: Error, CustomStringConvertible {
        var description: String { "no active token signing key" }
    }

    init(pool: PostgresPool, box: SecretBox, retention: TimeInterval, rotationInterval: TimeInterval, refreshInterval: TimeInterval = 30, logger: Logger) {
        self.pool = pool
        self.box = box
        self.retention = retention
        self.rotationInterval = rotationInterval
        self.refreshInterval = refreshInterval
        self.logger = logger
    }

    /// Makes sure a current key exists (creating or rotating one when due), then loads.
    func prepare() async throws {
        let box = box
        let due = rotationInterval
        let rotated = try await pool.withTransaction { connection -> Bool in
            let keys = SigningKeyRepository(connection)
            try await keys.lock()
            if let created = try await keys.activeCreatedAt(), Date().timeIntervalSince(created) < due { return false }
            try await keys.activate(try Self.newRecord(box: box))
            return true
        }
        if rotated { logger.info("token signing key created") }
        try await reload()
    }

    /// Starts signing with a new key now; the old one keeps verifying until its tokens expire.
    func rotate() async throws {
        let box = box
        try await pool.withTransaction { connection in
            let keys = SigningKeyRepository(connection)
            try await keys.lock()
            try await keys.activate(try Self.newRecord(box: box))
        }
        logger.info("token signing key rotated")
        try await reload()
    }

    /// The signer of the active key.
    func currentSigner() async throws -> AccessTokenSigner {
        if signer == nil || Date().timeIntervalSince(loadedAt) > refreshInterval { try await reload() }
        guard let signer else { throw NoActiveKey() }
        return signer
    }

    func key(for kid: String) async throws -> Ed25519.PublicKey? {
        if let key = publicKeys[kid], Date().timeIntervalSince(loadedAt) <= refreshInterval { return key }
        // Unknown kid: another replica may have rotated. At most one reload per second, so a
        // flood of made-up kids cannot turn into a flood of queries.
        if Date().timeIntervalSince(loadedAt) > 1 { try await reload() }
        return publicKeys[kid]
    }

    /// The published keys, active first.
    func keySet() async throws -> JSONWebKeySet {
        if Date().timeIntervalSince(loadedAt) > refreshInterval { try await reload() }
        let activeKid = signer?.kid
        let sorted = publicKeys.sorted { lhs, rhs in lhs.key == activeKid || (rhs.key != activeKid && lhs.key < rhs.key) }
        return JSONWebKeySet(keys: sorted.map { .ed25519(publicKey: $0.value.rawRepresentation, kid: $0.key) })
    }

    private func reload() async throws {
        let cutoff = Date().addingTimeInterval(-retention)
        let records = try await pool.withConnection { try await SigningKeyRepository($0).usable(retiredSince: cutoff) }
        var keys: [String: Ed25519.PublicKey] = [:]
        var active: AccessTokenSigner?
        for record in records {
            keys[record.kid] = try Ed25519.PublicKey(rawRepresentation: record.publicKey)
            if record.retiredAt == nil {
                let (seed, resealed) = try box.openReportingRotation(record.sealedPrivateKey, purpose: Self.sealPurpose)
                if let resealed {
                    try await pool.withConnection { try await SigningKeyRepository($0).reseal(kid: record.kid, sealed: resealed) }
                    logger.info("signing key re-sealed under the current AUTH_KEY_ENCRYPTION_KEY", metadata: ["kid": .string(record.kid)])
                }
                active = AccessTokenSigner(key: try Ed25519.PrivateKey(seed: seed), kid: record.kid)
            }
        }
        publicKeys = keys
        signer = active
        loadedAt = Date()
    }

    private static func newRecord(box: SecretBox) throws -> SigningKeyRepository.Record {
        let key = Ed25519.PrivateKey.generate()
        let kid = ERPCryptoBase64.encode(SecureRandom.bytes(count: 12))
        return SigningKeyRepository.Record(
            kid: kid, publicKey: key.publicKey.rawRepresentation, sealedPrivateKey: try box.seal(key.seed, purpose: sealPurpose),
            createdAt: Date(), retiredAt: nil
        )
    }
}
