import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

extension CustomerInsight: ResponseEncodable {}

/// Customer value and churn signals (docs/crm.md, "Customer value and churn signals"): every
/// customer of the tenant in one currency, or one company. Figures come from
/// `CustomerInsightRepository`, the prediction from the dependencies' `CustomerValuePredictor`,
/// the signals from `ChurnRules`.
extension AnalyticsController {
    /// `currency`, `years`, `inactiveDays` as the customer reports read them.
    struct CustomerScope: Sendable {
        var currency: CurrencyCode
        var years: Int
        var rules: ChurnRules
    }

    /// Where a customer list continues: the last item's sort keys.
    struct CustomerCursor: Codable, Sendable, Comparable {
        var primary: Int64
        var secondary: Int64
        @LowercaseUUID var id: UUID

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.primary, lhs.secondary, lhs.id.lowercased) < (rhs.primary, rhs.secondary, rhs.id.lowercased)
        }
    }

    static let customerSorts = ["-predictedValue", "predictedValue", "-risk", "risk"]

    /// Ascending order of these keys is the order `sort` asks for; risk ties go by predicted value, highest first.
    static func customerKey(_ insight: CustomerInsight, sort: String) -> CustomerCursor {
        let value = insight.predictedValue.amountMinor, risk = Int64(insight.risk.rank)
        return switch sort {
        case "predictedValue": CustomerCursor(primary: value, secondary: 0, id: insight.companyId)
        case "-risk": CustomerCursor(primary: -risk, secondary: -value, id: insight.companyId)
        case "risk": CustomerCursor(primary: risk, secondary: -value, id: insight.companyId)
        default: CustomerCursor(primary: -value, secondary: 0, id: insight.companyId)
        }
    }

    private func customerScope(_ request: Request, _ tx: CRMTransaction) async throws -> CustomerScope {
        let query = request.uri.queryParameters
        var issues: [FieldIssue] = []
        func integer(_ name: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let text = query.get(name), !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                issues.append(.outOfRange(name, message: "An integer from \(range.lowerBound) to \(range.upperBound)."))
                return value
            }
            return number
        }
        let years = integer("years", default: 3, range: 1...10)
        let inactiveDays = integer("inactiveDays", default: 90, range: 1...3650)
        var currency: CurrencyCode?
        if let text = query.get("currency"), !text.isEmpty {
            currency = CurrencyCode(text.uppercased())
            if currency == nil { issues.append(.invalid("currency", message: "An ISO 4217 code.")) }
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        if currency == nil { currency = try await CustomerInsightRepository(tx.connection).dominantWonCurrency() }
        return CustomerScope(currency: currency ?? CurrencyCode("USD")!, years: years, rules: ChurnRules(inactiveDays: inactiveDays))
    }

    private func insights(_ scope: CustomerScope, ownerID: UUID?, companyID: UUID?, _ tx: CRMTransaction) async throws -> [CustomerInsight] {
        let facts = try await CustomerInsightRepository(tx.connection).facts(
            .init(currency: scope.currency, asOf: tx.now, lossDays: scope.rules.lossDays, ownerID: ownerID, companyID: companyID))
        let today = CalendarDate(utc: tx.now)
        return facts.map { facts in
            CustomerInsight(
                facts, currency: scope.currency, prediction: dependencies.valuePredictor.predict(facts, years: scope.years, today: today),
                signals: scope.rules.signals(facts, currency: scope.currency, asOf: tx.now))
        }
    }

    /// Every customer (live company with a live won deal in the currency), filtered by `ownerId`
    /// (the company's owner) and `risk` (comma-separated levels), sorted, one page.
    @Sendable func customers(_ request: Request, context: ERPRequestContext) async throws -> Page<CustomerInsight> {
        let tenant = try context.require(CRMPermission.analyticsRead).tenantID
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let sort = query.get("sort").flatMap { $0.isEmpty ? nil : $0 } ?? "-predictedValue"
        var issues: [FieldIssue] = []
        if !Self.customerSorts.contains(sort) { issues.append(.invalid("sort", message: "One of \(Self.customerSorts.joined(separator: ", ")).")) }
        @LowercaseOptionalUUID var owner: UUID?
        if let text = query.get("ownerId"), !text.isEmpty {
            owner = UUID(uuidString: text)
            if owner == nil { issues.append(.invalid("ownerId", message: "A user id.")) }
        }
        var risks: Set<ChurnRisk>?
        if let text = query.get("risk"), !text.isEmpty {
            let levels = text.split(separator: ",").map { ChurnRisk(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()) }
            if levels.contains(nil) { issues.append(.invalid("risk", message: "high, medium, low or none, comma-separated.")) }
            risks = Set(levels.compactMap { $0 })
        }
        let after = try page.cursor.map { try $0.decode(CustomerCursor.self) }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        return try await dependencies.read(tenant) { tx in
            let scope = try await customerScope(request, tx)
            let rows = try await insights(scope, ownerID: owner, companyID: nil, tx)
                .filter { risks?.contains($0.risk) ?? true }
                .map { (key: Self.customerKey($0, sort: sort), insight: $0) }
                .filter { row in after.map { row.key > $0 } ?? true }
                .sorted { $0.key < $1.key }
            return try Page(fetched: rows.prefix(page.fetchLimit).map(\.insight), request: page) { Self.customerKey($0, sort: sort) }
        }
    }

    /// One company's value figures and churn signals (zero figures and no signals before its first win).
    @Sendable func companyInsights(_ request: Request, context: ERPRequestContext) async throws -> CustomerInsight {
        let tenant = try context.require(CRMPermission.analyticsRead).tenantID
        try context.require(CRMPermission.companyRead)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw ProblemDetails.notFound() }
        return try await dependencies.read(tenant) { tx in
            let scope = try await customerScope(request, tx)
            guard let insight = try await insights(scope, ownerID: nil, companyID: id, tx).first else { throw ProblemDetails.notFound() }
            return insight
        }
    }
}
