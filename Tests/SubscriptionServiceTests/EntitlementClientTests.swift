import AsyncHTTPClient
import ERPProtocol
import ERPServiceKit
import Foundation
import HummingbirdTesting
import Logging
import Testing

@testable import SubscriptionService

@Suite("Subscription: the kit's EntitlementClient against the live service")
struct EntitlementClientTests {
    @Test("services learn limits, features and read-only state, and get the standard 403s")
    func checks() async throws {
        try await SubscriptionHarness.run(live: true) { harness in
            let organization = try await harness.signUp()
            try await harness.addUsers(3, to: organization.tenant)  // 4 of Free's 5
            let client = ServiceClient(
                service: "subscription", configuration: .init(baseURL: "http://127.0.0.1:\(harness.client.port!)"),
                httpClient: HTTPClient.shared, logger: Logger(label: "entitlement-client-test")
            )
            let entitlements = EntitlementClient(client: client, token: { try harness.platformToken() }, cacheTTL: .zero)
            #expect(try await entitlements.limit(.users, tenant: organization.tenant) == 5)
            try await entitlements.requireCapacity(adding: 1, of: .users, tenant: organization.tenant)
            await #expect(throws: ProblemDetails.self) {
                try await entitlements.requireCapacity(adding: 2, of: .users, tenant: organization.tenant)
            }
            do {
                try await entitlements.requireFeature("sso", tenant: organization.tenant)
                Issue.record("sso is not in Free")
            } catch let problem as ProblemDetails {
                #expect(problem.code.rawValue == "feature_not_in_plan")
                #expect(problem.status == 403)
            }
            #expect(try await harness.send(.post, "/v1/subscription/change", token: organization.ownerToken, json: #"{"planCode":"enterprise"}"#).status == .ok)
            try await entitlements.requireFeature("sso", tenant: organization.tenant)
            #expect(try await entitlements.limit(.users, tenant: organization.tenant) == nil)
            #expect(try await harness.send(.post, "/v1/subscription/cancel", token: organization.ownerToken, json: #"{"atPeriodEnd":false}"#).status == .ok)
            do {
                try await entitlements.requireWritable(organization.tenant)
                Issue.record("a canceled subscription is read-only")
            } catch let problem as ProblemDetails {
                #expect(problem.code.rawValue == "subscription_read_only")
            }
            // An organization the service does not know is an error, never "unlimited".
            await #expect(throws: (any Error).self) { try await entitlements.limit(.users, tenant: .random()) }
        }
    }

    @Test("a check made just before the organization's subscription starts waits for it instead of failing")
    func newOrganization() async throws {
        try await SubscriptionHarness.run(live: true) { harness in
            let client = ServiceClient(
                service: "subscription", configuration: .init(baseURL: "http://127.0.0.1:\(harness.client.port!)"),
                httpClient: HTTPClient.shared, logger: Logger(label: "entitlement-client-test")
            )
            // A generous wait: under a loaded CI the sign-up below may take seconds; the point is
            // that the check waits for it rather than failing at once.
            let entitlements = EntitlementClient(
                client: client, token: { try harness.platformToken() }, cacheTTL: .zero, newOrganizationWait: .seconds(30))
            let tenant = TenantID.random()
            // The owner invites someone while organization.created is still on its way.
            async let limit = entitlements.limit(.users, tenant: tenant)
            try await Task.sleep(for: .milliseconds(400))
            _ = try await harness.signUp(tenant: tenant)
            #expect(try await limit == 5)
        }
    }
}
