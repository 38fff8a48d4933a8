import ERPCrypto
import ERPPostgres
import ERPProtocol
import ERPRedis
import ERPServiceKit
import Foundation
import Hummingbird
import Logging

/// What the routes of erp-auth work with, built once per process (or per test).
struct AuthDependencies: Sendable {
    let configuration: AuthConfiguration
    let pool: PostgresPool
    let redis: RedisPool
    let hashing: PasswordHashing
    let keys: SigningKeyStore
    let box: SecretBox
    let sessions: SessionRepository
    let attempts: LoginAttemptRepository
    let idempotency: IdempotencyStore
    let tokens: TokenIssuer
    let issuer: SessionIssuer
    /// Verifies access tokens against this service's own keys (no HTTP round trip to itself).
    let verifier: AccessTokenVerifier
    /// The plans' limits (the subscription service, or a static limit); set after init when it
    /// needs this service's own tokens.
    var entitlements: (any EntitlementSource)?
    let logger: Logger
    /// The wall clock; tests fix it to check time-based codes at exact steps.
    var now: @Sendable () -> Date = { Date() }

    init(configuration: AuthConfiguration, pool: PostgresPool, redis: RedisPool, entitlements: (any EntitlementSource)?, logger: Logger) throws {
        self.configuration = configuration
        self.pool = pool
        self.redis = redis
        self.entitlements = entitlements
        self.logger = logger
        hashing = PasswordHashing(logN: configuration.passwordHashLogN, threads: configuration.passwordHashThreads)
        box = SecretBox(key: configuration.keyEncryptionKey, previousKeys: configuration.previousKeyEncryptionKeys)
        keys = SigningKeyStore(
            pool: pool, box: box, retention: TimeInterval(configuration.accessTokenLifetime + 60),
            rotationInterval: TimeInterval(configuration.signingKeyRotationInterval), logger: logger
        )
        sessions = SessionRepository(redis: redis, prefix: configuration.redisKeyPrefix)
        attempts = LoginAttemptRepository(redis: redis, prefix: configuration.redisKeyPrefix, policy: configuration.throttle)
        idempotency = IdempotencyStore(redis: redis, prefix: configuration.redisKeyPrefix)
        tokens = TokenIssuer(
            keys: keys, issuer: configuration.service.jwtIssuer, audience: configuration.service.jwtAudience, lifetime: configuration.accessTokenLifetime
        )
        issuer = SessionIssuer(sessions: sessions, tokens: tokens, box: box, configuration: configuration)
        verifier = AccessTokenVerifier(
            keys: keys, issuer: configuration.service.jwtIssuer, audience: configuration.service.jwtAudience, cache: VerifiedClaimsCache())
    }


    /// Runs `body` in a transaction scoped to `tenant` (row-level security applies).
    func inTenant<T: Sendable>(_ tenant: TenantID, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await pool.withTenantTransaction(tenant: tenant.uuid, body)
    }

    /// Runs an admin change in the caller's tenant with its recorder (audit + outbox) and the
    /// caller's client info at hand.
    func change<T: Sendable>(
        by identity: Identity, _ request: Request, _ context: ERPRequestContext,
        _ body: (PostgresConnection, ChangeRecorder, ClientInfo) async throws -> T
    ) async throws -> T {
        let client = context.client(request, trustForwardedFor: configuration.trustForwardedFor)
        let trace = context.trace
        return try await inTenant(identity.tenantID) { connection in
            try await body(connection, ChangeRecorder(connection, tenant: identity.tenantID, trace: trace), client)
        }
    }

    /// A link for the front end, e.g. `link("accept-invitation", token)`.
    func link(_ page: String, token: String) -> String {
        var base = configuration.appURL
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/\(page)?token=\(token)"
    }
}
