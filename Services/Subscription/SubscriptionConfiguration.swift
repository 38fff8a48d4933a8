import Configuration
import ERPServiceKit
import Foundation

/// Everything erp-subscription reads from its environment, on top of the platform's
/// `ServiceConfiguration`.
struct SubscriptionConfiguration: Sendable {
    var service: ServiceConfiguration
    /// The Stripe-compatible provider (`PAYMENT_PROVIDER_URL`, e.g. https://api.stripe.com, and
    /// `PAYMENT_PROVIDER_SECRET_KEY`). Without them no charge is attempted and invoices that need
    /// one go into dunning with `payments_unavailable`.
    var paymentProviderURL: String?
    var paymentProviderSecretKey: String?
    /// The webhook endpoint's signing secret (`PAYMENT_WEBHOOK_SECRET`); webhooks are refused without it.
    var webhookSecret: String?
    /// Seconds a webhook's timestamp may be off (`PAYMENT_WEBHOOK_TOLERANCE_SECONDS`).
    var webhookTolerance: TimeInterval = 300
    /// Days after the first failure when a payment is retried (`SUBSCRIPTION_DUNNING_DAYS=1,3,7`).
    var dunning = DunningPolicy.standard
    /// Seconds between scheduler sweeps (`SUBSCRIPTION_SCHEDULER_INTERVAL_SECONDS`).
    var schedulerInterval = 30
    /// Seconds entitlements stay in the Redis cache (`SUBSCRIPTION_ENTITLEMENTS_TTL_SECONDS`).
    var entitlementsTTL = 300
    /// Prefix of every Redis key this service writes.
    var redisKeyPrefix = "erp:subscription"
    /// Platform clients allowed to publish plan versions (`SUBSCRIPTION_CATALOG_ADMINS`).
    var catalogAdmins: Set<String> = ["svc_subscription"]

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(service: ServiceConfiguration) {
        self.service = service
    }

    init(reader: ConfigReader = ConfigReader(provider: EnvironmentVariablesProvider())) throws {
        self.init(service: ServiceConfiguration(service: .subscription, defaultPort: 8082, reader: reader))
        // An empty variable (as compose passes an unset optional one) means "not configured".
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        paymentProviderURL = nonEmpty(reader.string(forKey: "payment.provider.url"))
        paymentProviderSecretKey = nonEmpty(reader.string(forKey: "payment.provider.secret.key", isSecret: true))
        webhookSecret = nonEmpty(reader.string(forKey: "payment.webhook.secret", isSecret: true))
        webhookTolerance = TimeInterval(reader.int(forKey: "payment.webhook.tolerance.seconds", default: Int(webhookTolerance)))
        if let days = reader.string(forKey: "subscription.dunning.days") {
            let parsed = days.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.count == days.split(separator: ",").count, parsed.allSatisfy({ $0 > 0 }), parsed == parsed.sorted() else {
                throw Invalid(description: "SUBSCRIPTION_DUNNING_DAYS must be increasing positive day numbers, e.g. 1,3,7")
            }
            dunning = DunningPolicy(retryDays: parsed)
        }
        schedulerInterval = reader.int(forKey: "subscription.scheduler.interval.seconds", default: schedulerInterval)
        entitlementsTTL = reader.int(forKey: "subscription.entitlements.ttl.seconds", default: entitlementsTTL)
        redisKeyPrefix = reader.string(forKey: "subscription.redis.prefix", default: redisKeyPrefix)
        if let admins = nonEmpty(reader.string(forKey: "subscription.catalog.admins")) {
            catalogAdmins = Set(admins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if (paymentProviderURL == nil) != (paymentProviderSecretKey == nil) {
            throw Invalid(description: "set both PAYMENT_PROVIDER_URL and PAYMENT_PROVIDER_SECRET_KEY, or neither")
        }
    }
}
