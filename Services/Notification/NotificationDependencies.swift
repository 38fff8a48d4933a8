import AsyncHTTPClient
import ERPCrypto
import ERPPostgres
import ERPProtocol
import ERPRedis
import ERPServiceKit
import Foundation
import Logging

/// What the routes, the consumer and the scheduler of erp-notification work with.
struct NotificationDependencies: Sendable {
    let configuration: NotificationConfiguration
    let pool: PostgresPool
    let idempotency: IdempotencyStore?
    let clock: any NotificationClock
    let httpClient: HTTPClient
    let sms: (any SMSProvider)?
    let hub: StreamHub
    let wake: WakeSignal
    let logger: Logger

    init(
        configuration: NotificationConfiguration, pool: PostgresPool, redis: RedisPool?, httpClient: HTTPClient,
        sms: (any SMSProvider)? = nil, clock: any NotificationClock = SystemNotificationClock(), logger: Logger
    ) {
        self.configuration = configuration
        self.pool = pool
        self.idempotency = redis.map { IdempotencyStore(redis: $0, prefix: "erp:notification") }
        self.clock = clock
        self.httpClient = httpClient
        self.sms = sms
        self.hub = StreamHub()
        self.wake = WakeSignal()
        self.logger = logger
    }

    var email: EmailChannel {
        EmailChannel(smtp: configuration.smtp, from: MailAddress(configuration.mailFrom, name: configuration.mailFromName), logger: logger)
    }

    var webhooks: WebhookChannel {
        WebhookChannel(timeout: .seconds(Int64(configuration.webhookTimeoutSeconds)), policy: webhookTargets, secrets: secrets)
    }

    var webhookTargets: WebhookTargetPolicy {
        WebhookTargetPolicy(allowPrivate: configuration.webhookAllowPrivate)
    }

    /// Seals webhook signing secrets at rest (`NOTIFICATION_SECRET_KEY`; during a rotation
    /// `NOTIFICATION_SECRET_KEY_PREVIOUS` still opens the older ones).
    var secrets: SecretBox {
        SecretBox(key: configuration.secretKey, previousKeys: configuration.previousSecretKeys)
    }

    /// Work in `tenant` (row-level security scoped).
    func inTenant<T: Sendable>(_ tenant: TenantID, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await pool.withTenantTransaction(tenant: tenant.uuid, body)
    }
}
