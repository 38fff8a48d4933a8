import ERPPostgres
import ERPProtocol
import Foundation

/// Charges waiting for the next invoice, in the tenant of the caller's transaction.
struct PendingChargeRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func add(_ charge: PendingCharge, currency: CurrencyCode, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO pending_charges (tenant_id, id, kind, description, amount_minor, currency, period_start, period_end)
            VALUES (\(tenant.uuid), \(charge.id), 'proration', \(charge.description), \(charge.amountMinor), \(currency.rawValue),
                \(charge.periodStart), \(charge.periodEnd))
            """
        )
    }

    func unbilled() async throws -> [PendingCharge] {
        try await connection.query(
            "SELECT id, description, amount_minor, period_start, period_end FROM pending_charges WHERE invoice_id IS NULL ORDER BY created_at, id"
        ).map { row in
            PendingCharge(
                id: try row.decode(UUID.self, named: "id"), description: try row.decode(String.self, named: "description"),
                amountMinor: try row.decode(Int64.self, named: "amount_minor"), periodStart: try row.decode(Date.self, named: "period_start"),
                periodEnd: try row.decode(Date.self, named: "period_end")
            )
        }
    }

    func markBilled(_ charges: [PendingCharge], invoice: UUID) async throws {
        for charge in charges {
            try await connection.execute("UPDATE pending_charges SET invoice_id = \(invoice) WHERE id = \(charge.id)")
        }
    }
}
