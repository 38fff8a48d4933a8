import ERPProtocol
import Foundation
import Logging

/// Collects invoices: plans each attempt in one transaction, calls the provider outside any
/// transaction, and records the answer in a second one. A crash in between leaves a pending
/// payment that the scheduler sends again with the same idempotency key, so the customer is
/// charged at most once.
struct PaymentCollector: Sendable {
    let dependencies: SubscriptionDependencies

    /// Tries to collect each of `invoices` of `tenant`; returns the payments' final states.
    /// `manual`: a person asked (`/pay`), so a failure does not count toward dunning.
    @discardableResult
    func collect(_ invoices: [UUID], tenant: TenantID, initiatedBy: String, manual: Bool = false) async throws -> [Payment] {
        var results: [Payment] = []
        for invoice in invoices {
            let prepared = try await dependencies.withLifecycle(tenant, actor: initiatedBy) {
                try await $0.prepareCharge(invoiceID: invoice, initiatedBy: initiatedBy, manual: manual, provider: dependencies.provider != nil)
            }
            if let prepared {
                await send(prepared, tenant: tenant)
                if let payment = try await dependencies.reading(tenant, { try await $0.payments.find(prepared.payment.id) }) {
                    results.append(payment)
                }
            } else if let last = try await dependencies.reading(tenant, { try await $0.payments.of(invoice: invoice).last }) {
                results.append(last)
            }
        }
        return results
    }

    /// Sends a prepared charge and records the answer. A provider outage leaves the payment
    /// pending (the scheduler resends it); nothing is recorded as failed that may have succeeded.
    func send(_ prepared: PreparedCharge, tenant: TenantID) async {
        guard let provider = dependencies.provider else { return }
        let result: ChargeResult
        do {
            switch prepared.action {
            case .charge:
                result = try await provider.charge(prepared.request)
            case .retrieve(let providerPaymentID):
                result = try await provider.retrieve(providerPaymentID: providerPaymentID)
            case .findThenCharge:
                if let found = try await provider.find(paymentID: prepared.payment.id.uuidString) {
                    result = found
                } else {
                    result = try await provider.charge(prepared.request)
                }
            }
        } catch let rejection as PaymentProviderRejection {
            result = ChargeResult(providerPaymentID: nil, status: .failed, failureCode: rejection.code, failureMessage: rejection.message)
        } catch {
            dependencies.logger.warning("payment provider unreachable; the charge will be resent", metadata: [
                "erp.tenant.id": .string(tenant.description), "erp.payment.id": .string(prepared.payment.id.uuidString),
            ])
            return
        }
        do {
            try await dependencies.withLifecycle(tenant, actor: prepared.payment.initiatedBy) {
                try await $0.recordChargeResult(paymentID: prepared.payment.id, result)
            }
        } catch {
            dependencies.logger.error("could not record a payment result; the scheduler will resend it", metadata: [
                "erp.tenant.id": .string(tenant.description), "erp.payment.id": .string(prepared.payment.id.uuidString),
                "erp.error": .string(String(describing: type(of: error))),
            ])
        }
    }
}
