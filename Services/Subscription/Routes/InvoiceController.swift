import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Invoices (list, get) and paying one now.
struct InvoiceController {
    let dependencies: SubscriptionDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/invoices", use: list)
        router.get("/v1/invoices/:id", use: show)
        router.post("/v1/invoices/:id/pay", use: pay)
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<InvoiceResponse> {
        let tenant = try context.require("subscription.invoice.read").tenantID
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let after = try page.cursor?.decode(InvoiceCursor.self)
        var status: InvoiceStatus?
        if let text = query.get("status"), !text.isEmpty {
            guard let parsed = InvoiceStatus(rawValue: text), parsed != .draft else {
                throw ProblemDetails.validation([.invalid("status", message: "Use open, paid, void or uncollectible.")])
            }
            status = parsed
        }
        let invoices = try await dependencies.reading(tenant) {
            try await $0.invoices.list(limit: page.fetchLimit, after: after.map { ($0.createdAt, $0.id) }, status: status)
        }
        return try Page(fetched: invoices.map { InvoiceResponse($0, withLines: false) }, request: page) {
            InvoiceCursor(createdAt: $0.createdAt, id: $0.id)
        }
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> InvoiceResponse {
        let tenant = try context.require("subscription.invoice.read").tenantID
        let id = try request.uuidParameter("id", context: context)
        guard let invoice = try await dependencies.reading(tenant, { try await $0.invoices.find(id) }), invoice.status != .draft else {
            throw ProblemDetails.notFound()
        }
        return InvoiceResponse(invoice, withLines: true)
    }

    struct PaymentResponse: ResponseCodable {
        @LowercaseUUID var id: UUID
        @LowercaseUUID var invoiceId: UUID
        var attempt: Int
        var amount: Money
        var status: PaymentStatus
        var failureCode: String?
        var failureMessage: String?
        var invoice: InvoiceResponse
    }

    /// Charges the default payment method for the invoice's amount due. Creates a payment, so it
    /// takes an `Idempotency-Key` (required): a retried request replays the first answer instead
    /// of charging twice. 402 `payment_declined` (problem+json) when the provider declines; a
    /// declined attempt is not replayed, so a retry with the same key tries again.
    @Sendable func pay(_ request: Request, context: ERPRequestContext) async throws -> EditedResponse<PaymentResponse> {
        let identity = try context.require("subscription.payment_method.manage")
        try request.requireIdempotencyKey()
        let id = try request.uuidParameter("id", context: context)
        let tenant = identity.tenantID
        guard let invoice = try await dependencies.reading(tenant, { try await $0.invoices.find(id) }), invoice.status != .draft else {
            throw ProblemDetails.notFound()
        }
        guard invoice.status == .open, invoice.amountDueMinor > 0 else { throw SubscriptionError.invoiceNotPayable(invoice.status) }
        guard dependencies.provider != nil else { throw SubscriptionError.paymentsUnavailable }
        let hasMethod = try await dependencies.reading(tenant) { try await PaymentMethodRepository($0.connection).defaultMethod() != nil }
        guard hasMethod else { throw SubscriptionError.noPaymentMethod }
        let payments = try await dependencies.collector.collect([id], tenant: tenant, initiatedBy: identity.subject, manual: true)
        guard let payment = payments.last, let after = try await dependencies.reading(tenant, { try await $0.invoices.find(id) }) else {
            throw SubscriptionError.invoiceNotPayable(invoice.status)
        }
        let response = PaymentResponse(
            id: payment.id, invoiceId: id, attempt: payment.attempt, amount: payment.amount, status: payment.status,
            failureCode: payment.failureCode, failureMessage: payment.failureMessage, invoice: InvoiceResponse(after, withLines: false)
        )
        switch payment.status {
        case .succeeded: return EditedResponse(status: .created, response: response)
        case .pending: return EditedResponse(status: .accepted, response: response)
        case .failed: throw SubscriptionError.paymentDeclined(payment.failureCode, payment.failureMessage)
        }
    }
}
