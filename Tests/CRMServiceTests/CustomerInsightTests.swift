import ERPPostgres
import ERPProtocol
import Foundation
import HTTPTypes
import Testing

@testable import CRMService

@Suite("CRM: customer value and churn signals")
struct CustomerInsightTests {
    struct RawOpportunity {
        var company: UUID?
        var status: String
        var amount: Int64
        var currency: String
        var closedAt: Date?
        var deleted: Bool
    }

    struct RawActivity {
        var kind: String
        var recordType: String
        var record: UUID
        var occurredAt: Date
        var dueAt: Date?
        var doneAt: Date?
        var deleted: Bool
    }

    /// What the test expects of one customer, calculated here from the raw rows.
    struct Expected {
        var wonCount = 0
        var historical: Int64 = 0
        var first: Date?
        var last: Date?
        var average: Int64?
        var frequency: Double?
        var tenureDays: Int?
        var predicted: Int64 = 0
        var lastYear: Int64 = 0
        var yearBefore: Int64 = 0
        var losses = 0
        var lastActivity: Date?
        var overdue = 0
        var lastPaid: Date?
        var signals: Set<String> = []
    }

    static func same(_ a: Date?, _ b: Date?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): abs(a.timeIntervalSince(b)) < 0.01
        default: false
        }
    }

    static func ago(_ days: Double, from now: Date = Date()) -> Date { now.addingTimeInterval(-days * 86_400) }

    /// Reads every row the figures depend on and calculates them as docs/crm.md defines them.
    static func expected(_ harness: CRMHarness, _ tenant: TestTenant, currency: String, years: Int, inactiveDays: Int) async throws -> [UUID: Expected] {
        let now = Date()
        let (companies, opportunities, links, activities, paid) = try await harness.pool.withTenantTransaction(tenant: tenant.id.uuid) { connection in
            let companies = try await connection.query("SELECT id FROM companies WHERE deleted_at IS NULL").map { try $0.decode(UUID.self, at: 0) }
            let opportunities = try await connection.query(
                "SELECT id, company_id, status, amount_minor, currency, closed_at, deleted_at IS NOT NULL FROM opportunities"
            ).map {
                (try $0.decode(UUID.self, at: 0), RawOpportunity(
                    company: try $0.decode(UUID?.self, at: 1), status: try $0.decode(String.self, at: 2), amount: try $0.decode(Int64.self, at: 3),
                    currency: try $0.decode(String.self, at: 4), closedAt: try $0.decode(Date?.self, at: 5), deleted: try $0.decode(Bool.self, at: 6)))
            }
            let links = try await connection.query(
                "SELECT l.company_id, l.contact_id FROM contact_companies l JOIN contacts c ON c.id = l.contact_id WHERE c.deleted_at IS NULL"
            ).map { (try $0.decode(UUID.self, at: 0), try $0.decode(UUID.self, at: 1)) }
            let activities = try await connection.query(
                "SELECT kind, record_type, record_id, occurred_at, due_at, done_at, deleted_at IS NOT NULL FROM activities"
            ).map {
                RawActivity(
                    kind: try $0.decode(String.self, at: 0), recordType: try $0.decode(String.self, at: 1), record: try $0.decode(UUID.self, at: 2),
                    occurredAt: try $0.decode(Date.self, at: 3), dueAt: try $0.decode(Date?.self, at: 4), doneAt: try $0.decode(Date?.self, at: 5),
                    deleted: try $0.decode(Bool.self, at: 6))
            }
            let paid = try await connection.query(
                "SELECT record_id, occurred_at FROM timeline_entries WHERE record_type = 'company' AND event_type = 'erp.finance.invoice.paid'"
            ).map { (try $0.decode(UUID.self, at: 0), try $0.decode(Date.self, at: 1)) }
            return (companies, opportunities, links, activities, paid)
        }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var result: [UUID: Expected] = [:]
        for company in companies {
            let mine = opportunities.filter { $0.1.company == company && !$0.1.deleted }
            let won = mine.filter { $0.1.status == "won" && $0.1.currency == currency }.map(\.1)
            guard !won.isEmpty else { continue }
            var expected = Expected()
            expected.wonCount = won.count
            expected.historical = won.reduce(0) { $0 + $1.amount }
            expected.first = won.compactMap(\.closedAt).min()
            expected.last = won.compactMap(\.closedAt).max()
            expected.average = Int64((Double(expected.historical) / Double(won.count)).rounded(.toNearestOrAwayFromZero))
            let days = utc.dateComponents([.day], from: utc.startOfDay(for: expected.first!), to: utc.startOfDay(for: now)).day!
            let tenure = max(365, days)
            expected.tenureDays = tenure
            expected.frequency = Double(won.count) / (Double(tenure) / 365)
            expected.predicted = Int64((Double(expected.historical) * Double(years) * 365 / Double(tenure)).rounded(.toNearestOrAwayFromZero))
            expected.lastYear = won.filter { $0.closedAt! >= ago(365, from: now) }.reduce(0) { $0 + $1.amount }
            expected.yearBefore = won.filter { $0.closedAt! >= ago(730, from: now) && $0.closedAt! < ago(365, from: now) }.reduce(0) { $0 + $1.amount }
            expected.losses = mine.filter { $0.1.status == "lost" && $0.1.closedAt! >= ago(90, from: now) }.count
            let related = Set([company] + links.filter { $0.0 == company }.map(\.1) + mine.map(\.0))
            let theirs = activities.filter { !$0.deleted && related.contains($0.record) }
            expected.lastActivity = theirs.compactMap { $0.kind == "task" ? $0.doneAt : ($0.occurredAt <= now ? $0.occurredAt : nil) }.max()
            expected.overdue = theirs.filter { $0.kind == "task" && $0.doneAt == nil && $0.dueAt.map { $0 < now } == true }.count
            expected.lastPaid = paid.filter { $0.0 == company }.map(\.1).max()
            if expected.lastActivity.map({ $0 < ago(Double(inactiveDays), from: now) }) ?? true { expected.signals.insert("no_recent_activity") }
            if expected.last! < ago(365, from: now) { expected.signals.insert("no_recent_purchase") }
            if expected.losses > 0 { expected.signals.insert("recent_loss") }
            if expected.overdue > 0 { expected.signals.insert("overdue_tasks") }
            if expected.lastYear < expected.yearBefore { expected.signals.insert("declining_value") }
            result[company] = expected
        }
        return result
    }

    static func check(_ insight: CustomerInsight, _ expected: Expected, sourceLocation: SourceLocation = #_sourceLocation) {
        let name = insight.companyName
        #expect(insight.wonCount == expected.wonCount, "\(name)", sourceLocation: sourceLocation)
        #expect(insight.historicalValue.amountMinor == expected.historical, "\(name)", sourceLocation: sourceLocation)
        #expect(same(insight.firstWonAt, expected.first) && same(insight.lastWonAt, expected.last), "\(name)", sourceLocation: sourceLocation)
        #expect(insight.averageDealSize?.amountMinor == expected.average, "\(name)", sourceLocation: sourceLocation)
        #expect(insight.tenureDays == expected.tenureDays, "\(name)", sourceLocation: sourceLocation)
        #expect(abs((insight.purchaseFrequencyPerYear ?? -1) - (expected.frequency ?? -1)) < 1e-9, "\(name)", sourceLocation: sourceLocation)
        #expect(insight.predictedValue.amountMinor == expected.predicted, "\(name)", sourceLocation: sourceLocation)
        #expect(insight.wonLast365Days.amountMinor == expected.lastYear, "\(name)", sourceLocation: sourceLocation)
        #expect(insight.wonPrevious365Days.amountMinor == expected.yearBefore, "\(name)", sourceLocation: sourceLocation)
        #expect(insight.lostLast90Days == expected.losses, "\(name)", sourceLocation: sourceLocation)
        #expect(same(insight.lastActivityAt, expected.lastActivity), "\(name)", sourceLocation: sourceLocation)
        #expect(insight.overdueTasks == expected.overdue, "\(name)", sourceLocation: sourceLocation)
        #expect(same(insight.lastPaidInvoiceAt, expected.lastPaid), "\(name)", sourceLocation: sourceLocation)
        #expect(Set(insight.signals.map(\.code.rawValue)) == expected.signals, "\(name)", sourceLocation: sourceLocation)
        #expect(insight.risk == ChurnRisk(signalCount: expected.signals.count), "\(name)", sourceLocation: sourceLocation)
    }

    @Test("every figure and signal equals a direct calculation over the raw rows of a seeded data set")
    func matchesDirectCalculation() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let ownerA = try await harness.member(tenant.id), ownerB = try await harness.member(tenant.id)
            func company(_ name: String, owner: UserID?) async throws -> UUID {
                let ownerJSON = owner.map { #","ownerId":"\#($0)""# } ?? ""
                return try await harness.create("/v1/companies", tenant, json: #"{"name":"\#(name)","domain":"\#(name.lowercased()).com"\#(ownerJSON)}"#, as: CompanyResponse.self).id
            }
            func deal(_ company: UUID, _ amount: Int, _ currency: String = "USD", closed: (won: Bool, daysAgo: Double)? = nil) async throws -> UUID {
                let id = try await harness.create("/v1/opportunities", tenant, json: """
                    {"name":"Deal \(amount)","amount":{"amountMinor":\(amount),"currency":"\(currency)"},"companyId":"\(company.lowercased)"}
                    """, as: OpportunityResponse.self).id
                guard let closed else { return id }
                let outcome = try await harness.send(.post, "/v1/opportunities/\(id.lowercased)/\(closed.won ? "won" : "lost")", token: tenant.token, json: #"{"reason":"r"}"#)
                #expect(outcome.status == .ok, "\(outcome.text)")
                // Historic close dates: the service stamps "now", so the test moves them back.
                let closedAt = Self.ago(closed.daysAgo)
                try await harness.pool.withTenantTransaction(tenant: tenant.id.uuid) { connection in
                    _ = try await connection.execute("UPDATE opportunities SET closed_at = \(closedAt) WHERE id = \(id)")
                }
                return id
            }
            func activity(_ json: String) async throws -> UUID {
                try await harness.create("/v1/activities", tenant, json: json, as: ActivityController.ActivityResponse.self).id
            }
            let stamp = { (date: Date) in ERPJSON.string(from: date) }

            let alpha = try await company("Alpha", owner: ownerA)
            let ada = try await harness.create("/v1/contacts", tenant, json: """
                {"lastName":"Lovelace","email":"ada@alpha.com","companies":[{"companyId":"\(alpha.lowercased)","isPrimary":true}]}
                """, as: ContactResponse.self).id
            _ = try await deal(alpha, 100_000, closed: (true, 800))
            _ = try await deal(alpha, 50_000, closed: (true, 500))
            _ = try await deal(alpha, 20_001, closed: (true, 100))
            _ = try await deal(alpha, 5_000, closed: (false, 30))
            let alphaOpen = try await deal(alpha, 7_000)
            _ = try await activity(#"{"kind":"task","subject":"Send quote","recordType":"opportunity","recordId":"\#(alphaOpen.lowercased)","dueAt":"\#(stamp(Self.ago(5)))"}"#)
            _ = try await activity(#"{"kind":"call","subject":"Check-in","recordType":"contact","recordId":"\#(ada.lowercased)","occurredAt":"\#(stamp(Self.ago(10)))"}"#)
            let deletedDeal = try await deal(alpha, 1_000_000, closed: (true, 50))
            _ = try await activity(#"{"kind":"task","subject":"Ghost","recordType":"opportunity","recordId":"\#(deletedDeal.lowercased)","dueAt":"\#(stamp(Self.ago(3)))"}"#)
            #expect(try await harness.send(.delete, "/v1/opportunities/\(deletedDeal.lowercased)", token: tenant.token).status == .noContent)

            let beta = try await company("Beta", owner: ownerB)
            _ = try await deal(beta, 30_000, closed: (true, 40))
            _ = try await deal(beta, 999, "EUR", closed: (true, 20))
            _ = try await activity(#"{"kind":"meeting","subject":"Planned","recordType":"company","recordId":"\#(beta.lowercased)","occurredAt":"\#(stamp(Self.ago(-5)))"}"#)
            let paid = EventEnvelope(
                type: EventType.Finance.invoicePaid, tenantID: tenant.id, subject: UUID().lowercased,
                data: FinanceInvoicePaid(
                    invoiceId: UUID(), number: "INV-1", customerId: UUID(), crmCompanyId: beta,
                    amount: Money(amountMinor: 30_000, currency: CurrencyCode("USD")!), paidAt: Self.ago(12)))
            #expect(try await harness.deliver(paid) == .handled)

            let gamma = try await company("Gamma", owner: ownerA)
            _ = try await deal(gamma, 10_000, closed: (true, 900))
            _ = try await activity(#"{"kind":"note","subject":"Old note","recordType":"company","recordId":"\#(gamma.lowercased)","occurredAt":"\#(stamp(Self.ago(200)))"}"#)
            let done = try await activity(#"{"kind":"task","subject":"Done","recordType":"company","recordId":"\#(gamma.lowercased)","dueAt":"\#(stamp(Self.ago(150)))"}"#)
            #expect(try await harness.send(.post, "/v1/activities/\(done.lowercased)/complete", token: tenant.token, json: "{}").status == .ok)
            try await harness.pool.withTenantTransaction(tenant: tenant.id.uuid) { connection in
                _ = try await connection.execute("UPDATE activities SET done_at = \(Self.ago(140)) WHERE id = \(done)")
            }

            let delta = try await company("Delta", owner: nil)
            _ = try await deal(delta, 4_000)
            let epsilon = try await company("Epsilon", owner: nil)
            _ = try await deal(epsilon, 40_000, closed: (true, 60))
            #expect(try await harness.send(.delete, "/v1/companies/\(epsilon.lowercased)", token: tenant.token).status == .noContent)

            // Every customer with every figure.
            let list = try await harness.send(.get, "/v1/analytics/customers", token: tenant.token)
            #expect(list.status == .ok, "\(list.text)")
            let customers = try list.decoded(Page<CustomerInsight>.self)
            let expected = try await Self.expected(harness, tenant, currency: "USD", years: 3, inactiveDays: 90)
            #expect(Set(expected.keys) == [alpha, beta, gamma])
            #expect(customers.items.map(\.companyId) == expected.sorted { ($0.value.predicted, $1.key.lowercased) > ($1.value.predicted, $0.key.lowercased) }.map(\.key))
            for insight in customers.items {
                #expect(insight.currency.rawValue == "USD" && insight.years == 3 && insight.predictor == "heuristic-v1")
                Self.check(insight, expected[insight.companyId]!)
            }
            #expect(customers.items.map(\.risk) == [.high, .low, .medium])

            // Parameters change the figures as defined.
            let longer = try await harness.send(.get, "/v1/analytics/customers?years=5&inactiveDays=365", token: tenant.token).decoded(Page<CustomerInsight>.self)
            let expectedLonger = try await Self.expected(harness, tenant, currency: "USD", years: 5, inactiveDays: 365)
            for insight in longer.items { Self.check(insight, expectedLonger[insight.companyId]!) }
            let euro = try await harness.send(.get, "/v1/analytics/customers?currency=eur", token: tenant.token).decoded(Page<CustomerInsight>.self)
            let expectedEuro = try await Self.expected(harness, tenant, currency: "EUR", years: 3, inactiveDays: 90)
            #expect(euro.items.map(\.companyId) == [beta])
            for insight in euro.items { Self.check(insight, expectedEuro[insight.companyId]!) }

            // Filters, sorts and pages.
            func ids(_ query: String) async throws -> [UUID] {
                let response = try await harness.send(.get, "/v1/analytics/customers?\(query)", token: tenant.token)
                #expect(response.status == .ok, "\(query): \(response.text)")
                return try response.decoded(Page<CustomerInsight>.self).items.map(\.companyId)
            }
            #expect(Set(try await ids("ownerId=\(ownerA)")) == [alpha, gamma])
            #expect(try await ids("risk=high") == [alpha])
            #expect(Set(try await ids("risk=medium,low")) == [beta, gamma])
            #expect(try await ids("sort=-risk") == [alpha, gamma, beta])
            #expect(try await ids("sort=risk") == [beta, gamma, alpha])
            #expect(try await ids("sort=predictedValue") == customers.items.map(\.companyId).reversed())
            var paged: [UUID] = []
            var cursor: String?
            repeat {
                let page = try await harness.send(.get, "/v1/analytics/customers?sort=-risk&limit=1\(cursor.map { "&cursor=\($0)" } ?? "")", token: tenant.token)
                    .decoded(Page<CustomerInsight>.self)
                paged += page.items.map(\.companyId)
                cursor = page.nextCursor?.rawValue
            } while cursor != nil && paged.count < 10
            #expect(paged == [alpha, gamma, beta])
            for bad in ["sort=name", "years=0", "inactiveDays=x", "risk=extreme", "currency=XX1", "ownerId=me", "limit=0"] {
                #expect(try await harness.send(.get, "/v1/analytics/customers?\(bad)", token: tenant.token).status.code == 422, "\(bad)")
            }

            // One company.
            let one = try await harness.send(.get, "/v1/companies/\(alpha.lowercased)/insights", token: tenant.token)
            #expect(one.status == .ok, "\(one.text)")
            Self.check(try one.decoded(CustomerInsight.self), expected[alpha]!)
            let prospect = try await harness.send(.get, "/v1/companies/\(delta.lowercased)/insights", token: tenant.token).decoded(CustomerInsight.self)
            #expect(prospect.wonCount == 0 && prospect.predictedValue.amountMinor == 0 && prospect.signals.isEmpty && prospect.risk == ChurnRisk.none)
            #expect(try await harness.send(.get, "/v1/companies/\(epsilon.lowercased)/insights", token: tenant.token).status == .notFound)
            #expect(try await harness.send(.get, "/v1/companies/\(UUID().lowercased)/insights", token: tenant.token).status == .notFound)
            let other = try harness.tenant()
            #expect(try await harness.send(.get, "/v1/companies/\(alpha.lowercased)/insights", token: other.token).status == .notFound)
            #expect(try await harness.send(.get, "/v1/analytics/customers", token: other.token).decoded(Page<CustomerInsight>.self).items.isEmpty)

            // Permissions: crm.analytics.read, and crm.company.read for one company.
            #expect(try await harness.send(.get, "/v1/analytics/customers", token: tenant.viewerToken).status == .ok)
            let analyticsOnly = try harness.token(tenant: tenant.id, permissions: ["crm.analytics.read"])
            #expect(try await harness.send(.get, "/v1/analytics/customers", token: analyticsOnly).status == .ok)
            #expect(try await harness.send(.get, "/v1/companies/\(alpha.lowercased)/insights", token: analyticsOnly).status == .forbidden)
            let companyOnly = try harness.token(tenant: tenant.id, permissions: ["crm.company.read"])
            #expect(try await harness.send(.get, "/v1/analytics/customers", token: companyOnly).status == .forbidden)
            #expect(try await harness.send(.get, "/v1/companies/\(alpha.lowercased)/insights", token: companyOnly).status == .forbidden)
        }
    }
}
