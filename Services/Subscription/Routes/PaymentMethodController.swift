import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Payment methods: references to cards stored at the provider (never card data).
struct PaymentMethodController {
    let dependencies: SubscriptionDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/payment-methods", use: list)
        router.post("/v1/payment-methods", use: add)
        router.post("/v1/payment-methods/:id/default", use: makeDefault)
        router.delete("/v1/payment-methods/:id", use: delete)
    }

    struct MethodResponse: ResponseCodable {
        @LowercaseUUID var id: UUID
        var providerReference: String
        var brand: String
        var last4: String
        var expMonth: Int
        var expYear: Int
        var isDefault: Bool
        var createdAt: Date

        init(_ method: PaymentMethod) {
            id = method.id
            providerReference = method.providerReference
            brand = method.brand
            last4 = method.last4
            expMonth = method.expMonth
            expYear = method.expYear
            isDefault = method.isDefault
            createdAt = method.createdAt
        }
    }

    struct MethodList: ResponseCodable {
        var items: [MethodResponse]
    }

    struct AddInput: Decodable {
        /// The provider's id for a card the browser tokenized (`pm_…`).
        var providerReference: String?
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> MethodList {
        let tenant = try context.require("subscription.payment_method.read").tenantID
        return MethodList(items: try await dependencies.reading(tenant) { try await PaymentMethodRepository($0.connection).all() }.map(MethodResponse.init))
    }

    /// Attaches the provider's payment method to the organization's customer there (created on
    /// first use) and stores the reference with the display details the provider returns.
    @Sendable func add(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<MethodResponse> {
        let identity = try context.require("subscription.payment_method.manage")
        let input = try await request.decode(as: AddInput.self, context: context)
        let reference = (input.providerReference ?? "").trimmingCharacters(in: .whitespaces)
        guard reference.range(of: "^pm_[A-Za-z0-9_]{1,200}$", options: .regularExpression) != nil else {
            throw ProblemDetails.validation([.invalid("providerReference", message: "The provider's payment method id (pm_…); never card data.")])
        }
        guard let provider = dependencies.provider else { throw SubscriptionError.paymentsUnavailable }
        let tenant = identity.tenantID
        let (settings, known) = try await dependencies.reading(tenant) {
            (try await BillingSettingsRepository($0.connection).get(), try await PaymentMethodRepository($0.connection).all())
        }
        guard !known.contains(where: { $0.providerReference == reference }) else {
            throw ProblemDetails.conflict(detail: "This payment method is already stored.")
        }
        var customer = settings.providerCustomerID
        if customer == nil {
            let created: String
            do {
                created = try await provider.createCustomer(organization: tenant, email: settings.billingEmail)
            } catch is PaymentProviderRejection {
                throw SubscriptionError.providerUnavailable
            }
            try await dependencies.withLifecycle(tenant, actor: identity.subject) {
                try await BillingSettingsRepository($0.connection).setProviderCustomer(created, tenant: tenant)
            }
            customer = created
        }
        let card: CardDetails
        do {
            card = try await provider.attach(paymentMethod: reference, customer: customer!)
        } catch is PaymentProviderRejection {
            throw SubscriptionError.paymentMethodRejected
        }
        let method = PaymentMethod(
            id: UUID(), providerReference: reference, brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear,
            isDefault: false, createdAt: dependencies.clock.now()
        )
        let stored = try await dependencies.withLifecycle(tenant, actor: identity.subject) { lifecycle -> PaymentMethod in
            guard let stored = try await PaymentMethodRepository(lifecycle.connection).insert(method, tenant: tenant) else {
                throw ProblemDetails.conflict(detail: "This payment method is already stored.")
            }
            return stored
        }
        return EditedResponse(status: .created, response: MethodResponse(stored))
    }

    @Sendable func makeDefault(_ request: Request, context: ERPRequestContext) async throws -> MethodResponse {
        let identity = try context.require("subscription.payment_method.manage")
        let id = try request.uuidParameter("id", context: context)
        return try await dependencies.withLifecycle(identity.tenantID, actor: identity.subject) { lifecycle in
            let methods = PaymentMethodRepository(lifecycle.connection)
            guard try await methods.makeDefault(id), let method = try await methods.find(id) else { throw ProblemDetails.notFound() }
            return MethodResponse(method)
        }
    }

    @Sendable func delete(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require("subscription.payment_method.manage")
        let id = try request.uuidParameter("id", context: context)
        let deleted = try await dependencies.withLifecycle(identity.tenantID, actor: identity.subject) {
            try await PaymentMethodRepository($0.connection).delete(id)
        }
        guard deleted else { throw ProblemDetails.notFound() }
        return .noContent
    }
}
