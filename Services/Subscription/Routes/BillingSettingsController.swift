import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The organization's tax rate and billing contact (applied to invoices issued afterwards;
/// issued invoices keep the rate they were issued with).
struct BillingSettingsController {
    let dependencies: SubscriptionDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/billing-settings", use: show)
        router.put("/v1/billing-settings", use: update)
    }

    struct SettingsResponse: ResponseCodable {
        var taxRateBasisPoints: Int
        var taxLabel: String
        var billingEmail: String?
        var version: Int

        init(_ settings: BillingSettings) {
            taxRateBasisPoints = settings.taxRateBasisPoints
            taxLabel = settings.taxLabel
            billingEmail = settings.billingEmail
            version = settings.version
        }
    }

    struct SettingsInput: Decodable {
        var taxRateBasisPoints: Int?
        var taxLabel: String?
        var billingEmail: String?
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<SettingsResponse> {
        let tenant = try context.require("subscription.invoice.read").tenantID
        let settings = try await dependencies.reading(tenant) { try await BillingSettingsRepository($0.connection).get() }
        return EditedResponse(headers: .etag(settings.version), response: SettingsResponse(settings))
    }

    /// Replaces the settings; `If-Match` with the last ETag (`"0"` before the first save).
    @Sendable func update(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<SettingsResponse> {
        let identity = try context.require("subscription.payment_method.manage")
        let version = try request.requiredVersion()
        let input = try await request.decode(as: SettingsInput.self, context: context)
        var issues: [FieldIssue] = []
        let rate = input.taxRateBasisPoints ?? 0
        if !(0...10_000).contains(rate) { issues.append(.outOfRange("taxRateBasisPoints", message: "Between 0 and 10000 (100 %).")) }
        let label = (input.taxLabel ?? "Tax").trimmingCharacters(in: .whitespaces)
        if label.isEmpty || label.count > 40 { issues.append(.invalid("taxLabel", message: "1 to 40 characters, e.g. VAT.")) }
        let email = input.billingEmail?.trimmingCharacters(in: .whitespaces)
        if let email, !email.isEmpty, email.count > 254 || email.range(of: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", options: .regularExpression) == nil {
            issues.append(.invalid("billingEmail", message: "An email address."))
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        let wanted = BillingSettings(taxRateBasisPoints: rate, taxLabel: label, billingEmail: email?.isEmpty == true ? nil : email,
                                     providerCustomerID: nil, version: version)
        let saved = try await dependencies.withLifecycle(identity.tenantID, actor: identity.subject) {
            try await BillingSettingsRepository($0.connection).save(wanted, tenant: identity.tenantID, expectedVersion: version)
        }
        guard let saved else { throw ProblemDetails.preconditionFailed(detail: "The billing settings changed since you read them.") }
        return EditedResponse(headers: .etag(saved.version), response: SettingsResponse(saved))
    }
}
