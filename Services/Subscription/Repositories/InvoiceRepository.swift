import ERPPostgres
import ERPProtocol
import Foundation

/// Invoices of the tenant of the caller's transaction. Issuing happens in one transaction:
/// draft row, lines, then number and status (after which the database refuses any change to
/// the amounts or lines).
struct InvoiceRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = """
        id, number, status, currency, subtotal_minor, tax_rate_bp, tax_minor, total_minor, amount_paid_minor, period_start, period_end,
        issued_at, due_at, paid_at, attempt_count, next_attempt_at, created_at
        """

    /// Issues `draft` as the organization's next numbered invoice, due at `dueAt`.
    func issue(_ draft: InvoiceDraft, tenant: TenantID, at now: Date, dueAt: Date) async throws -> Invoice {
        let id = UUID()
        let tax = try draft.taxMinor()
        try await connection.execute(
            """
            INSERT INTO invoices (tenant_id, id, status, currency, subtotal_minor, tax_rate_bp, tax_minor, total_minor, period_start, period_end, created_at)
            VALUES (\(tenant.uuid), \(id), 'draft', \(draft.currency.rawValue), \(draft.subtotalMinor), \(draft.taxRateBasisPoints), \(tax),
                \(draft.subtotalMinor + tax), \(draft.periodStart), \(draft.periodEnd), \(now))
            """
        )
        for (index, line) in draft.lines.enumerated() {
            try await connection.execute(
                """
                INSERT INTO invoice_lines (tenant_id, invoice_id, line_number, kind, description, quantity, unit_amount_minor, amount_minor,
                    metric, period_start, period_end)
                VALUES (\(tenant.uuid), \(id), \(index + 1), \(line.kind.rawValue), \(line.description), \(line.quantity), \(line.unitAmountMinor),
                    \(line.amountMinor), \(line.metric), \(line.periodStart), \(line.periodEnd))
                """
            )
        }
        // The counter row is locked by the UPDATE, so concurrent issuers number without gaps or twins.
        let sequence = try await connection.query(
            """
            INSERT INTO invoice_counters (tenant_id, last_number) VALUES (\(tenant.uuid), 1)
            ON CONFLICT (tenant_id) DO UPDATE SET last_number = invoice_counters.last_number + 1
            RETURNING last_number
            """
        )[0].decode(Int64.self, at: 0)
        try await connection.execute(
            """
            UPDATE invoices SET status = 'open', number = \(Invoice.number(sequence)), issued_at = \(now), due_at = \(dueAt), updated_at = \(now)
            WHERE id = \(id)
            """
        )
        return try await find(id)!
    }

    func find(_ id: UUID, forUpdate: Bool = false) async throws -> Invoice? {
        let rows = forUpdate
            ? try await connection.query("SELECT \(unescaped: Self.columnList) FROM invoices WHERE id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columnList) FROM invoices WHERE id = \(id)")
        guard let row = rows.first else { return nil }
        var invoice = try Self.decode(row)
        invoice.lines = try await lines(of: id)
        return invoice
    }

    /// Invoices newest first, after `cursor` (created_at, id) when given.
    func list(limit: Int, after cursor: (Date, UUID)?, status: InvoiceStatus?) async throws -> [Invoice] {
        let rows: PostgresRows
        if let (createdAt, id) = cursor {
            rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columnList) FROM invoices
                WHERE status <> 'draft' AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                  AND (created_at, id) < (\(createdAt), \(id))
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """
            )
        } else {
            rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columnList) FROM invoices
                WHERE status <> 'draft' AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
                ORDER BY created_at DESC, id DESC LIMIT \(limit)
                """
            )
        }
        return try rows.map(Self.decode)
    }

    /// Open invoices, oldest first.
    func open() async throws -> [Invoice] {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM invoices WHERE status = 'open' ORDER BY created_at, id").map(Self.decode)
    }

    /// Open invoices whose next dunning attempt is due at `now`.
    func dueForRetry(at now: Date) async throws -> [Invoice] {
        try await connection.query(
            """
            SELECT \(unescaped: Self.columnList) FROM invoices
            WHERE status = 'open' AND next_attempt_at IS NOT NULL AND next_attempt_at <= \(now) ORDER BY next_attempt_at, id
            """
        ).map(Self.decode)
    }

    /// The earliest planned dunning attempt.
    func nextRetry() async throws -> Date? {
        try await connection.query("SELECT min(next_attempt_at) FROM invoices WHERE status = 'open'")[0].decode(Date?.self, at: 0)
    }

    func markPaid(_ id: UUID, amountMinor: Int64, at now: Date) async throws {
        try await connection.execute(
            """
            UPDATE invoices SET status = 'paid', amount_paid_minor = amount_paid_minor + \(amountMinor), paid_at = \(now),
                next_attempt_at = NULL, updated_at = \(now)
            WHERE id = \(id) AND status = 'open'
            """
        )
    }

    func recordFailedAttempt(_ id: UUID, attempts: Int, nextAttemptAt: Date?, at now: Date) async throws {
        try await connection.execute(
            """
            UPDATE invoices SET attempt_count = \(attempts), next_attempt_at = \(nextAttemptAt), updated_at = \(now)
            WHERE id = \(id) AND status = 'open'
            """
        )
    }

    func lines(of id: UUID) async throws -> [InvoiceLine] {
        try await connection.query(
            """
            SELECT kind, description, quantity, unit_amount_minor, amount_minor, metric, period_start, period_end
            FROM invoice_lines WHERE invoice_id = \(id) ORDER BY line_number
            """
        ).map { row in
            InvoiceLine(
                kind: InvoiceLine.Kind(rawValue: try row.decode(String.self, named: "kind")) ?? .plan,
                description: try row.decode(String.self, named: "description"), quantity: try row.decode(Int64.self, named: "quantity"),
                unitAmountMinor: try row.decode(Int64.self, named: "unit_amount_minor"), amountMinor: try row.decode(Int64.self, named: "amount_minor"),
                metric: try row.decode(String?.self, named: "metric"), periodStart: try row.decode(Date.self, named: "period_start"),
                periodEnd: try row.decode(Date.self, named: "period_end")
            )
        }
    }

    static func decode(_ row: PostgresRow) throws -> Invoice {
        Invoice(
            id: try row.decode(UUID.self, named: "id"),
            number: try row.decode(String?.self, named: "number"),
            status: InvoiceStatus(rawValue: try row.decode(String.self, named: "status")) ?? .draft,
            currency: CurrencyCode(try row.decode(String.self, named: "currency")) ?? .usd,
            subtotalMinor: try row.decode(Int64.self, named: "subtotal_minor"),
            taxRateBasisPoints: try row.decode(Int.self, named: "tax_rate_bp"),
            taxMinor: try row.decode(Int64.self, named: "tax_minor"),
            totalMinor: try row.decode(Int64.self, named: "total_minor"),
            amountPaidMinor: try row.decode(Int64.self, named: "amount_paid_minor"),
            periodStart: try row.decode(Date.self, named: "period_start"),
            periodEnd: try row.decode(Date.self, named: "period_end"),
            issuedAt: try row.decode(Date?.self, named: "issued_at"),
            dueAt: try row.decode(Date?.self, named: "due_at"),
            paidAt: try row.decode(Date?.self, named: "paid_at"),
            attemptCount: try row.decode(Int.self, named: "attempt_count"),
            nextAttemptAt: try row.decode(Date?.self, named: "next_attempt_at"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            lines: []
        )
    }
}
