import ERPProtocol
import Foundation
import HummingbirdTesting
import Testing

@testable import SubscriptionService

@Suite("Subscription: catalog")
struct CatalogTests {
    @Test("the seeded tiers are public, with prices, limits, features and the API rate limit")
    func seededCatalog() async throws {
        try await SubscriptionHarness.run { harness in
            let response = try await harness.send(.get, "/v1/plans")
            #expect(response.status == .ok)
            let plans = try response.decoded(PlanList.self).items
            let byCode = Dictionary(uniqueKeysWithValues: plans.map { ($0.code, $0) })
            #expect(byCode["free"]?.price.amountMinor == 0)
            #expect(byCode["free"]?.limits == ["users": 5, "storage_bytes": 5 << 30, "ai_queries": 100])
            #expect(byCode["basic"]?.price == Money(amountMinor: 2900, currency: .usd))
            #expect(byCode["basic"]?.limits["users"] == 25)
            #expect(byCode["pro"]?.price.amountMinor == 9900)
            #expect(byCode["pro"]?.limits["users"] == nil)
            #expect(byCode["pro"]?.limits["storage_bytes"] == 1 << 40)
            #expect(byCode["pro"]?.limits["ai_queries"] == 10_000)
            #expect(byCode["enterprise"]?.price.amountMinor == 29900)
            let enterprise = Set(byCode["enterprise"]?.features ?? [])
            #expect(enterprise.isSuperset(of: Set(byCode["pro"]?.features ?? [])))
            #expect(enterprise.isSuperset(of: ["sso", "dedicated_support"]))
            #expect(byCode["basic_yearly"]?.interval == .year)
            #expect(plans.allSatisfy { $0.rateLimit.requestsPerMinute > 0 })
            #expect(plans.map(\.tier) == plans.map(\.tier).sorted())
        }
    }

    @Test("a new plan version changes nothing for existing subscribers until they move versions; tenants cannot publish")
    func versioning() async throws {
        try await SubscriptionHarness.run { harness in
            let organization = try await harness.signUp()
            #expect(try await harness.addCard(organization, "pm_card_visa").status == .created)
            #expect(try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"basic"}"#).status == .ok)
            let newBasic = """
                {"code":"basic","name":"Basic","tier":1,"price":{"amountMinor":3900,"currency":"USD"},"interval":"month","trialDays":14,
                 "features":["core","api_access"],"limits":{"users":25,"ai_queries":1000},"requestsPerMinute":3000}
                """
            let refused = try await harness.send(.post, "/v1/plans", token: organization.ownerToken, json: newBasic)
            #expect(refused.status == .forbidden)
            let otherService = try await harness.send(.post, "/v1/plans", token: try harness.platformToken(client: "svc_crm"), json: newBasic)
            #expect(otherService.status == .forbidden)
            let operators = try harness.platformToken(client: "svc_subscription")
            let invalid = try await harness.send(.post, "/v1/plans", token: operators,
                                                 json: #"{"code":"Bad Code","price":{"amountMinor":-1,"currency":"USD"},"interval":"weekly"}"#)
            #expect(invalid.status == .unprocessableContent)
            let published = try await harness.send(.post, "/v1/plans", token: operators, json: newBasic)
            #expect(published.status == .created, "\(String(buffer: published.body))")
            #expect(try published.decoded(PlanResponse.self).version == 2)
            let versions = try await harness.send(.get, "/v1/plans/basic").decoded(PlanList.self).items
            #expect(versions.map(\.version) == [2, 1])
            #expect(versions.map(\.available) == [true, false])
            // The subscriber stays on version 1 and renews at its price.
            #expect(try await harness.subscription(organization).plan.version == 1)
            try await harness.advance(days: 31)
            let invoice = try #require(try await harness.invoices(organization).first)
            let lines = try #require(try await harness.send(.get, "/v1/invoices/\(invoice.id)", token: organization.ownerToken).decoded(InvoiceResponse.self).lines)
            #expect(lines.first { $0.kind == .plan }?.amount.amountMinor == 2900)
            // A newcomer gets version 2.
            let newcomer = try await harness.signUp(plan: "basic")
            #expect(try await harness.subscription(newcomer).plan.version == 2)
        }
    }
}
