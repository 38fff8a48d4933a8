import ERPPostgres
import ERPProtocol
import Foundation

/// Charge attempts of the tenant of the caller's transaction.
struct PaymentRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = """
        id, invoice_id, attempt, amount_minor, currency, status, payment_method_id, provider_payment_id, failure_code, failure_message,
        initiated_by, manual, created_at, updated_at
        """

    /// `firstCheckAt`: when the payment is looked at again if no answer has settled it by then.
    func insert(_ payment: Payment, tenant: TenantID, firstCheckAt: Date) async throws {
        try await connection.execute(
            """
            INSERT INTO payments (tenant_id, id, invoice_id, attempt, amount_minor, currency, status, payment_method_id, initiated_by, manual,
                created_at, updated_at, next_check_at)
            VALUES (\(tenant.uuid), \(payment.id), \(payment.invoiceID), \(payment.attempt), \(payment.amount.amountMinor),
                \(payment.amount.currency.rawValue), \(payment.status.rawValue), \(payment.paymentMethodID), \(payment.initiatedBy),
                \(payment.manual), \(payment.createdAt), \(payment.updatedAt), \(firstCheckAt))
            """
        )
    }

    /// A pending payment was looked at again (resent or asked about): the next look waits
    /// twice as long as the last, from `first` up to `cap`.
    func noteCheck(_ id: UUID, at now: Date, first: TimeInterval, cap: TimeInterval) async throws {
        try await connection.execute(
            """
            UPDATE payments SET checks = checks + 1,
                next_check_at = \(now) + make_interval(secs => least(\(cap), \(first) * power(2, least(checks + 1, 30))))
            WHERE id = \(id)
            """
        )
    }

    func find(_ id: UUID, forUpdate: Bool = false) async throws -> Payment? {
        let rows = forUpdate
            ? try await connection.query("SELECT \(unescaped: Self.columnList) FROM payments WHERE id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columnList) FROM payments WHERE id = \(id)")
        return try rows.first.map(Self.decode)
    }

    /// Records the provider's answer for a pending payment; false if it was already settled.
    func settle(_ id: UUID, result: ChargeResult, at now: Date) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE payments SET status = \(result.status.rawValue), provider_payment_id = COALESCE(\(result.providerPaymentID), provider_payment_id),
                failure_code = \(result.failureCode), failure_message = \(result.failureMessage), updated_at = \(now)
            WHERE id = \(id) AND status = 'pending'
            """
        ) == 1
    }

    /// Notes the provider's id while the outcome is still unknown (processing).
    func attachProviderID(_ id: UUID, providerPaymentID: String?, at now: Date) async throws {
        try await connection.execute(
            "UPDATE payments SET provider_payment_id = COALESCE(\(providerPaymentID), provider_payment_id), updated_at = \(now) WHERE id = \(id)"
        )
    }

    /// Payments of `invoice`, oldest first.
    func of(invoice: UUID) async throws -> [Payment] {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM payments WHERE invoice_id = \(invoice) ORDER BY created_at, id").map(Self.decode)
    }

    /// Pending payments due to be looked at again (their answer was lost, or the provider said
    /// "processing" and no webhook has settled them yet).
    func dueForCheck(at now: Date) async throws -> [Payment] {
        try await connection.query(
            "SELECT \(unescaped: Self.columnList) FROM payments WHERE status = 'pending' AND next_check_at <= \(now) ORDER BY next_check_at, id"
        ).map(Self.decode)
    }

    /// When the next pending payment is due to be looked at.
    func nextCheck() async throws -> Date? {
        try await connection.query("SELECT min(next_check_at) FROM payments WHERE status = 'pending'")[0].decode(Date?.self, at: 0)
    }

    static func decode(_ row: PostgresRow) throws -> Payment {
        Payment(
            id: try row.decode(UUID.self, named: "id"),
            invoiceID: try row.decode(UUID.self, named: "invoice_id"),
            attempt: try row.decode(Int.self, named: "attempt"),
            amount: Money(amountMinor: try row.decode(Int64.self, named: "amount_minor"),
                          currency: CurrencyCode(try row.decode(String.self, named: "currency")) ?? .usd),
            status: PaymentStatus(rawValue: try row.decode(String.self, named: "status")) ?? .pending,
            paymentMethodID: try row.decode(UUID?.self, named: "payment_method_id"),
            providerPaymentID: try row.decode(String?.self, named: "provider_payment_id"),
            failureCode: try row.decode(String?.self, named: "failure_code"),
            failureMessage: try row.decode(String?.self, named: "failure_message"),
            initiatedBy: try row.decode(String.self, named: "initiated_by"),
            manual: try row.decode(Bool.self, named: "manual"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at")
        )
    }
}
