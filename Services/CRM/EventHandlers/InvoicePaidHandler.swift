import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation

/// `erp.finance.invoice.paid` → an entry on the paying company's timeline. Runs in the inbox
/// transaction (so a redelivered event adds nothing); an invoice of a customer that is no CRM
/// company of this tenant is recorded as handled and changes nothing.
struct InvoicePaidHandler: EventHandler {
    var eventType: EventType { EventType.Finance.invoicePaid }

    func handle(_ event: EventEnvelope<FinanceInvoicePaid>, connection: PostgresConnection) async throws {
        guard let companyID = event.data.crmCompanyId, try await RecordExistence(connection).deletedAt(.company, companyID) != nil else { return }
        let invoice = event.data
        try await TimelineRepository(connection).insert(
            TimelineEntry(
                id: UUID(), recordType: .company, recordID: companyID, occurredAt: invoice.paidAt, source: event.type.service.rawValue,
                eventType: event.type.rawValue, eventID: event.id.uuid, actor: nil, summary: "Invoice \(invoice.number) paid: \(invoice.amount)",
                data: try JSONValue(encoding: invoice)),
            tenant: event.tenantID)
    }
}
