import ERPPostgres
import ERPProtocol
import Foundation

/// The plan catalog (global: the same for every organization).
struct PlanRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = """
        code, version, name, description, tier, price_minor, currency, billing_interval, trial_days, features, limits, overage,
        rate_limit_per_minute, available, published_at
        """

    /// The newest available version of every plan, cheapest tier first.
    func available() async throws -> [Plan] {
        try await connection.query(
            """
            SELECT DISTINCT ON (code) \(unescaped: Self.columnList) FROM plans WHERE available
            ORDER BY code, version DESC
            """
        ).map(Self.decode).sorted { ($0.tier, $0.interval.rawValue, $0.code) < ($1.tier, $1.interval.rawValue, $1.code) }
    }

    /// Every version of `code`, newest first.
    func versions(of code: String) async throws -> [Plan] {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM plans WHERE code = \(code) ORDER BY version DESC").map(Self.decode)
    }

    func find(code: String, version: Int) async throws -> Plan? {
        try await connection.query(
            "SELECT \(unescaped: Self.columnList) FROM plans WHERE code = \(code) AND version = \(version)"
        ).first.map(Self.decode)
    }

    /// The version new subscribers of `code` get.
    func current(code: String) async throws -> Plan? {
        try await connection.query(
            "SELECT \(unescaped: Self.columnList) FROM plans WHERE code = \(code) AND available ORDER BY version DESC LIMIT 1"
        ).first.map(Self.decode)
    }

    /// Publishes `plan` as the next version of its code; returns it with its version number.
    func publish(_ plan: Plan) async throws -> Plan {
        let rows = try await connection.query(
            """
            INSERT INTO plans (code, version, name, description, tier, price_minor, currency, billing_interval, trial_days, features,
                               limits, overage, rate_limit_per_minute)
            SELECT \(plan.code), COALESCE(max(version), 0) + 1, \(plan.name), \(plan.description), \(plan.tier), \(plan.price.amountMinor),
                   \(plan.price.currency.rawValue), \(plan.interval.rawValue), \(plan.trialDays), \(plan.features),
                   \(PostgresJSON(Self.stringKeys(plan.limits))), \(PostgresJSON(Self.stringKeys(plan.overage))), \(plan.rateLimitPerMinute)
            FROM plans WHERE code = \(plan.code)
            RETURNING \(unescaped: Self.columnList)
            """
        )
        return try Self.decode(rows[0])
    }

    /// Takes every version of `code` but the newest off sale (existing subscribers keep theirs).
    func retireOlderVersions(of code: String, keeping version: Int) async throws {
        try await connection.execute("UPDATE plans SET available = false WHERE code = \(code) AND version <> \(version) AND available")
    }

    private static func stringKeys<Value>(_ table: [EntitlementMetric: Value]) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: table.map { ($0.key.rawValue, $0.value) })
    }

    static func decode(_ row: PostgresRow) throws -> Plan {
        let currency = try row.decode(String.self, named: "currency")
        let limits = try row.decode(PostgresJSON<[String: Int64]>.self, named: "limits").value
        let overage = try row.decode(PostgresJSON<[String: OveragePrice]>.self, named: "overage").value
        return Plan(
            code: try row.decode(String.self, named: "code"),
            version: try row.decode(Int.self, named: "version"),
            name: try row.decode(String.self, named: "name"),
            description: try row.decode(String.self, named: "description"),
            tier: try row.decode(Int.self, named: "tier"),
            price: Money(amountMinor: try row.decode(Int64.self, named: "price_minor"), currency: CurrencyCode(currency) ?? .usd),
            interval: BillingInterval(rawValue: try row.decode(String.self, named: "billing_interval")) ?? .month,
            trialDays: try row.decode(Int.self, named: "trial_days"),
            features: try row.decode([String].self, named: "features"),
            limits: Dictionary(uniqueKeysWithValues: limits.map { (EntitlementMetric(rawValue: $0.key), $0.value) }),
            overage: Dictionary(uniqueKeysWithValues: overage.map { (EntitlementMetric(rawValue: $0.key), $0.value) }),
            rateLimitPerMinute: try row.decode(Int.self, named: "rate_limit_per_minute"),
            available: try row.decode(Bool.self, named: "available"),
            publishedAt: try row.decode(Date.self, named: "published_at")
        )
    }
}
