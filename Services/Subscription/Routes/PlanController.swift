import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The catalog: public reading, and publishing new versions by platform operators.
struct PlanController {
    let dependencies: SubscriptionDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/plans", use: list)
        router.get("/v1/plans/:code", use: versions)
        router.post("/v1/plans", use: publish)
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> PlanList {
        PlanList(items: try await dependencies.pool.withConnection { try await PlanRepository($0).available() }.map(PlanResponse.init))
    }

    /// Every version of a plan, newest first (what existing subscribers may still be on).
    @Sendable func versions(_ request: Request, context: ERPRequestContext) async throws -> PlanList {
        let code = context.parameters.get("code") ?? ""
        let versions = try await dependencies.pool.withConnection { try await PlanRepository($0).versions(of: code) }
        guard !versions.isEmpty else { throw ProblemDetails.notFound() }
        return PlanList(items: versions.map(PlanResponse.init))
    }

    struct PublishInput: Decodable {
        var code: String?
        var name: String?
        var description: String?
        var tier: Int?
        var price: Money?
        var interval: String?
        var trialDays: Int?
        var features: [String]?
        var limits: [String: Int64]?
        var overage: [String: OveragePrice]?
        var requestsPerMinute: Int?
        /// Take older versions off sale (their subscribers keep them). Default true.
        var retireOlderVersions: Bool?
    }

    /// Publishes the next version of a plan. Only the catalog's operators may: a platform token
    /// (no organization) of a client listed in `SUBSCRIPTION_CATALOG_ADMINS` (default
    /// `svc_subscription`). A tenant's owner, or another service, must not reprice the catalog.
    @Sendable func publish(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<PlanResponse> {
        let identity = try context.requireIdentity()
        guard identity.claims.isPlatform, dependencies.configuration.catalogAdmins.contains(identity.subject) else {
            throw ProblemDetails.forbidden(detail: "Only the catalog's operators publish plans.")
        }
        let input = try await request.decode(as: PublishInput.self, context: context)
        let plan = try Self.validate(input)
        let published = try await dependencies.pool.withTransaction { connection in
            let plans = PlanRepository(connection)
            let published = try await plans.publish(plan)
            if input.retireOlderVersions ?? true { try await plans.retireOlderVersions(of: published.code, keeping: published.version) }
            return published
        }
        return EditedResponse(status: .created, response: PlanResponse(published))
    }

    static func validate(_ input: PublishInput) throws -> Plan {
        var issues: [FieldIssue] = []
        let code = (input.code ?? "").trimmingCharacters(in: .whitespaces)
        if code.range(of: "^[a-z][a-z0-9_]{1,39}$", options: .regularExpression) == nil {
            issues.append(.invalid("code", message: "Use 2–40 lowercase letters, digits or _ starting with a letter."))
        }
        let name = (input.name ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 100 { issues.append(.required("name", message: "Give the plan a name of at most 100 characters.")) }
        if input.price == nil || (input.price?.amountMinor ?? -1) < 0 { issues.append(.invalid("price", message: "A non-negative amount in minor units.")) }
        let interval = BillingInterval(rawValue: input.interval ?? "")
        if interval == nil { issues.append(.invalid("interval", message: "Use month or year.")) }
        let trialDays = input.trialDays ?? 0
        if !(0...365).contains(trialDays) { issues.append(.outOfRange("trialDays", message: "Between 0 and 365.")) }
        let requestsPerMinute = input.requestsPerMinute ?? 0
        if requestsPerMinute <= 0 { issues.append(.outOfRange("requestsPerMinute", message: "A positive number of requests per minute.")) }
        let known = Set(BillableMetric.all.map(\.metric.rawValue))
        for (metric, limit) in input.limits ?? [:] where !known.contains(metric) || limit < 0 {
            issues.append(.invalid("limits.\(metric)", message: "Use a known metric (\(known.sorted().joined(separator: ", "))) and a limit ≥ 0."))
        }
        for (metric, price) in input.overage ?? [:] where !known.contains(metric) || price.unitPriceMinor < 0 || price.unitSize <= 0 {
            issues.append(.invalid("overage.\(metric)", message: "Use a known metric, unitPriceMinor ≥ 0 and unitSize > 0."))
        }
        guard issues.isEmpty, let price = input.price, let interval else { throw ProblemDetails.validation(issues) }
        return Plan(
            code: code, version: 0, name: name, description: input.description ?? "", tier: max(0, input.tier ?? 0), price: price,
            interval: interval, trialDays: trialDays, features: Array(Set(input.features ?? [])).sorted(),
            limits: Dictionary(uniqueKeysWithValues: (input.limits ?? [:]).map { (EntitlementMetric(rawValue: $0.key), $0.value) }),
            overage: Dictionary(uniqueKeysWithValues: (input.overage ?? [:]).map { (EntitlementMetric(rawValue: $0.key), $0.value) }),
            rateLimitPerMinute: requestsPerMinute, available: true, publishedAt: Date()
        )
    }
}
