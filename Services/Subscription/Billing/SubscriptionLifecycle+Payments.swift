import ERPPostgres
import ERPProtocol
import Foundation

/// A charge planned in the database and about to be sent to the provider.
struct PreparedCharge: Sendable, Hashable {
    /// What to ask the provider.
    enum Action: Sendable, Hashable {
        /// Charge (a repeat with the same idempotency key is the same charge).
        case charge
        /// Ask how the charge the provider knows as this id ended ("processing" before).
        case retrieve(providerPaymentID: String)
        /// The idempotency key may be gone: find the charge by its payment id, charge only if
        /// the provider has none.
        case findThenCharge
    }

    var payment: Payment
    var request: ChargeRequest
    var action: Action = .charge
}

extension SubscriptionLifecycle {
    /// Plans the next attempt at `invoiceID`: a pending payment row whose id is the provider's
    /// idempotency key. Without a payment method (or provider) the attempt fails at once, which
    /// starts or continues dunning. Nil when the invoice needs no charge.
    func prepareCharge(invoiceID: UUID, initiatedBy: String, manual: Bool = false, provider: Bool) async throws -> PreparedCharge? {
        guard let invoice = try await invoices.find(invoiceID, forUpdate: true), invoice.status == .open, invoice.amountDueMinor > 0 else {
            return nil
        }
        // Numbered across manual and automatic attempts (the invoice's count is dunning's only).
        let attempt = try await payments.of(invoice: invoice.id).count + 1
        let method = try await PaymentMethodRepository(connection).defaultMethod()
        let customer = try await BillingSettingsRepository(connection).get().providerCustomerID
        let payment = Payment(
            id: UUID(), invoiceID: invoice.id, attempt: attempt, amount: invoice.amountDue, status: .pending, paymentMethodID: method?.id,
            providerPaymentID: nil, failureCode: nil, failureMessage: nil, initiatedBy: initiatedBy, manual: manual, createdAt: now, updatedAt: now
        )
        try await payments.insert(payment, tenant: tenant, firstCheckAt: now.addingTimeInterval(Self.pendingCheckAfter))
        guard provider, let method, let customer else {
            let code = provider ? "payment_method_missing" : "payments_unavailable"
            let message = provider ? "No payment method is on file." : "No payment provider is configured."
            try await recordChargeResult(paymentID: payment.id, ChargeResult(providerPaymentID: nil, status: .failed, failureCode: code, failureMessage: message))
            return nil
        }
        try await reschedule(try await current())
        return PreparedCharge(payment: payment, request: chargeRequest(payment, invoice: invoice, method: method, customer: customer))
    }

    /// The follow-up of a pending payment that is due for a look: the provider is asked about
    /// a charge it called "processing"; a charge whose answer was lost is sent again with the
    /// same idempotency key while the provider still keeps it, and looked up first after that
    /// (a second charge under a forgotten key would charge the customer twice).
    func followUp(_ payment: Payment) async throws -> PreparedCharge? {
        try await payments.noteCheck(payment.id, at: now, first: Self.pendingCheckAfter, cap: Self.pendingCheckCap)
        guard var prepared = try await resend(payment) else { return nil }
        if let providerPaymentID = payment.providerPaymentID {
            prepared.action = .retrieve(providerPaymentID: providerPaymentID)
        } else if now.timeIntervalSince(payment.createdAt) >= Self.idempotencyWindow {
            prepared.action = .findThenCharge
        }
        return prepared
    }

    /// The same request again for a payment whose answer was lost.
    private func resend(_ payment: Payment) async throws -> PreparedCharge? {
        guard let invoice = try await invoices.find(payment.invoiceID),
              let methodID = payment.paymentMethodID, let method = try await PaymentMethodRepository(connection).find(methodID),
              let customer = try await BillingSettingsRepository(connection).get().providerCustomerID
        else {
            try await recordChargeResult(paymentID: payment.id, ChargeResult(
                providerPaymentID: nil, status: .failed, failureCode: "payment_method_missing", failureMessage: "The payment method was removed."
            ))
            return nil
        }
        return PreparedCharge(payment: payment, request: chargeRequest(payment, invoice: invoice, method: method, customer: customer))
    }

    /// The provider request for `payment`: its id is the idempotency key, and the metadata lets a
    /// webhook find the organization and the payment again.
    private func chargeRequest(_ payment: Payment, invoice: Invoice, method: PaymentMethod, customer: String) -> ChargeRequest {
        ChargeRequest(
            amount: payment.amount, customer: customer, paymentMethod: method.providerReference, idempotencyKey: payment.id.uuidString,
            description: "Invoice \(invoice.number ?? "")",
            metadata: ["tenant_id": tenant.description, "invoice_id": invoice.id.uuidString, "payment_id": payment.id.uuidString]
        )
    }

    /// Applies the provider's answer to a payment (once: a settled payment ignores later answers).
    ///
    /// Success pays the invoice and, for a past-due or unpaid subscription, restores it (other
    /// open invoices are then tried at once). An automatic failure schedules the next dunning
    /// attempt, moves an active or trialing subscription to past due, and a past-due one to unpaid
    /// when the schedule is exhausted; a manual one (`/pay`) changes neither the schedule nor the
    /// status. Every step is an event.
    func recordChargeResult(paymentID: UUID, _ result: ChargeResult) async throws {
        guard let payment = try await payments.find(paymentID, forUpdate: true), payment.status == .pending else { return }
        if result.status == .pending {
            try await payments.attachProviderID(paymentID, providerPaymentID: result.providerPaymentID, at: now)
            return
        }
        guard try await payments.settle(paymentID, result: result, at: now),
              let invoice = try await invoices.find(payment.invoiceID, forUpdate: true)
        else { return }
        var subscription = try await current(forUpdate: true)
        if result.status == .succeeded {
            try await invoices.markPaid(invoice.id, amountMinor: payment.amount.amountMinor, at: now)
            try await publish(EventType.Subscription.paymentSucceeded, subject: payment.id.uuidString, PaymentEvent(
                paymentId: payment.id, invoiceId: invoice.id, invoiceNumber: invoice.number ?? "", amount: payment.amount, attempt: payment.attempt,
                failureCode: nil, failureMessage: nil, nextAttemptAt: nil
            ))
            var paid = invoice
            paid.status = .paid
            paid.amountPaidMinor += payment.amount.amountMinor
            try await publish(EventType.Subscription.invoicePaid, subject: invoice.id.uuidString, paid.event)
            switch subscription.status {
            case .trialing, .pastDue, .unpaid:
                let reason = subscription.status == .trialing ? "trial_converted" : "payment_succeeded"
                subscription = try await transition(subscription, to: .active, event: EventType.Subscription.subscriptionActivated, reason: reason) {
                    $0.pastDueSince = nil
                }
                // Whatever else is still open is collected now rather than on its old schedule.
                for other in try await invoices.open() where other.id != invoice.id {
                    try await invoices.recordFailedAttempt(other.id, attempts: other.attemptCount, nextAttemptAt: now, at: now)
                }
            case .active, .canceled:
                break
            }
        } else if payment.manual {
            // The customer's own try: dunning goes on as scheduled, as if it had not happened.
            try await publish(EventType.Subscription.paymentFailed, subject: payment.id.uuidString, PaymentEvent(
                paymentId: payment.id, invoiceId: invoice.id, invoiceNumber: invoice.number ?? "", amount: payment.amount, attempt: payment.attempt,
                failureCode: result.failureCode, failureMessage: result.failureMessage, nextAttemptAt: invoice.nextAttemptAt
            ))
        } else {
            let automaticFailures = try await payments.of(invoice: invoice.id).filter { $0.status == .failed && !$0.manual }
            let firstFailure = automaticFailures.first?.updatedAt ?? now
            let nextAttempt = dunning.nextAttempt(afterFailures: automaticFailures.count, firstFailureAt: firstFailure)
            try await invoices.recordFailedAttempt(invoice.id, attempts: automaticFailures.count, nextAttemptAt: nextAttempt, at: now)
            try await publish(EventType.Subscription.paymentFailed, subject: payment.id.uuidString, PaymentEvent(
                paymentId: payment.id, invoiceId: invoice.id, invoiceNumber: invoice.number ?? "", amount: payment.amount, attempt: payment.attempt,
                failureCode: result.failureCode, failureMessage: result.failureMessage, nextAttemptAt: nextAttempt
            ))
            switch subscription.status {
            case .trialing, .active:
                let reason = subscription.status == .trialing ? "trial_expired_unpaid" : "payment_failed"
                subscription = try await transition(subscription, to: .pastDue, event: EventType.Subscription.subscriptionPastDue, reason: reason) {
                    $0.pastDueSince = now
                }
            case .pastDue, .unpaid, .canceled:
                break
            }
            if nextAttempt == nil, subscription.status == .pastDue {
                subscription = try await transition(subscription, to: .unpaid, event: EventType.Subscription.subscriptionUnpaid, reason: "dunning_exhausted")
            }
        }
        try await reschedule(subscription)
    }
}
