import Configuration
import ERPCrypto
import ERPServiceKit
import Foundation

/// Everything erp-notification reads from its environment, on top of `ServiceConfiguration`.
struct NotificationConfiguration: Sendable {
    var service: ServiceConfiguration
    /// `SMTP_URL` (see `SMTPConfiguration`); without it email deliveries fail and retry.
    /// `SMTP_CA_FILE` (PEM) replaces the system roots for verifying the server (a private CA).
    var smtp: SMTPConfiguration?
    /// 32 bytes (`NOTIFICATION_SECRET_KEY`, base64) sealing webhook signing secrets at rest.
    var secretKey: [UInt8]
    /// Keys being rotated out (`NOTIFICATION_SECRET_KEY_PREVIOUS`, comma-separated): they open
    /// secrets sealed before the rotation, which are re-sealed under `secretKey` when next used.
    var previousSecretKeys: [[UInt8]] = []
    /// `NOTIFICATION_MAIL_FROM` / `NOTIFICATION_MAIL_FROM_NAME`.
    var mailFrom = "no-reply@erp.local"
    var mailFromName = "ERP"
    /// Twilio-compatible SMS API (`SMS_API_URL`, `SMS_ACCOUNT_SID`, `SMS_AUTH_TOKEN`, `SMS_FROM`).
    var smsURL: String?
    var smsAccountSID: String?
    var smsAuthToken: String?
    var smsFrom: String?
    /// Attempts per delivery before it is dead (`NOTIFICATION_MAX_ATTEMPTS`, webhooks: `NOTIFICATION_WEBHOOK_MAX_ATTEMPTS`).
    var maxAttempts = 5
    var webhookMaxAttempts = 8
    /// First retry delay in seconds, doubled per attempt with ±20 % jitter, capped (`NOTIFICATION_RETRY_BASE_SECONDS`).
    var retryBaseSeconds: Double = 30
    var retryMaxSeconds: Double = 3600
    /// The wait before a delivery's next attempt (the attempt limits above decide when it's dead).
    var retryPolicy: RetryPolicy {
        RetryPolicy(maxAttempts: .max, baseDelay: .seconds(retryBaseSeconds), maxDelay: .seconds(retryMaxSeconds), jitter: .proportional(0.2))
    }
    /// Failed webhook attempts in a row after which an endpoint is disabled.
    var webhookDisableAfter = 20
    /// Seconds an unsent webhook request may take.
    var webhookTimeoutSeconds = 10
    /// Webhook URLs may point at loopback, private and link-local addresses
    /// (`NOTIFICATION_WEBHOOK_ALLOW_PRIVATE=true`): development and tests only, never production,
    /// where it lets a tenant make the service call the cloud metadata endpoint or internal admin ports.
    var webhookAllowPrivate = false
    /// How often the scheduler looks for due work when nothing woke it (milliseconds).
    var schedulerIntervalMilliseconds = 250
    /// How often an open WebSocket looks for notifications written by other replicas (milliseconds).
    var streamPollMilliseconds = 1000
    /// Kafka topics consumed (`NOTIFICATION_TOPICS`, comma-separated service names, or full topic
    /// names when they contain a dot — the benchmark uses a private topic).
    var consumedServices = ["auth", "subscription", "crm", "hrm", "finance", "inventory", "project", "file", "ai"]
    /// Names the consumer group `erp-notification.<name>` and the inbox (`NOTIFICATION_CONSUMER_NAME`).
    var consumerName = "deliveries"

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(service: ServiceConfiguration, secretKey: [UInt8]) {
        self.service = service
        self.secretKey = secretKey
    }

    init(reader: ConfigReader = ConfigReader(provider: EnvironmentVariablesProvider())) throws {
        guard let secretKey = SecretBox.key(base64: reader.string(forKey: "notification.secret.key", isSecret: true)) else {
            throw Invalid(description: "NOTIFICATION_SECRET_KEY must be 32 random bytes in base64 (openssl rand -base64 32)")
        }
        self.init(service: ServiceConfiguration(service: .notification, defaultPort: 8088, reader: reader), secretKey: secretKey)
        guard let previous = SecretBox.keys(base64List: reader.string(forKey: "notification.secret.key.previous", isSecret: true)) else {
            throw Invalid(description: "NOTIFICATION_SECRET_KEY_PREVIOUS must be comma-separated keys of 32 bytes in base64")
        }
        previousSecretKeys = previous
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        if let url = nonEmpty(reader.string(forKey: "smtp.url", isSecret: true)) {
            do {
                smtp = try SMTPConfiguration(url: url)
            } catch {
                throw Invalid(description: String(describing: error))
            }
            if let caFile = nonEmpty(reader.string(forKey: "smtp.ca.file")) {
                guard FileManager.default.isReadableFile(atPath: caFile) else { throw Invalid(description: "SMTP_CA_FILE is not a readable file") }
                smtp?.caFile = caFile
            }
        }
        mailFrom = reader.string(forKey: "notification.mail.from", default: mailFrom)
        mailFromName = reader.string(forKey: "notification.mail.from.name", default: mailFromName)
        smsURL = nonEmpty(reader.string(forKey: "sms.api.url"))
        smsAccountSID = nonEmpty(reader.string(forKey: "sms.account.sid"))
        smsAuthToken = nonEmpty(reader.string(forKey: "sms.auth.token", isSecret: true))
        smsFrom = nonEmpty(reader.string(forKey: "sms.from"))
        maxAttempts = max(1, reader.int(forKey: "notification.max.attempts", default: maxAttempts))
        webhookMaxAttempts = max(1, reader.int(forKey: "notification.webhook.max.attempts", default: webhookMaxAttempts))
        retryBaseSeconds = Double(max(1, reader.int(forKey: "notification.retry.base.seconds", default: Int(retryBaseSeconds))))
        webhookAllowPrivate = reader.bool(forKey: "notification.webhook.allow.private", default: false)
        webhookDisableAfter = max(1, reader.int(forKey: "notification.webhook.disable.after", default: webhookDisableAfter))
        schedulerIntervalMilliseconds = max(10, reader.int(forKey: "notification.scheduler.interval.ms", default: schedulerIntervalMilliseconds))
        streamPollMilliseconds = max(100, reader.int(forKey: "notification.stream.poll.ms", default: streamPollMilliseconds))
        consumerName = reader.string(forKey: "notification.consumer.name", default: consumerName)
        if let topics = nonEmpty(reader.string(forKey: "notification.topics")) {
            consumedServices = topics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if smsURL != nil, smsAccountSID == nil || smsAuthToken == nil || smsFrom == nil {
            throw Invalid(description: "set SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM with SMS_API_URL")
        }
    }
}
