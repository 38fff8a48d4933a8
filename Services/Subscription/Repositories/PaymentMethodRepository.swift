import ERPPostgres
import ERPProtocol
import Foundation

/// Stored payment method references of the tenant of the caller's transaction.
struct PaymentMethodRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columnList: StaticString = "id, provider_reference, brand, last4, exp_month, exp_year, is_default, created_at"

    func all() async throws -> [PaymentMethod] {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM payment_methods ORDER BY created_at, id").map(Self.decode)
    }

    func find(_ id: UUID) async throws -> PaymentMethod? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM payment_methods WHERE id = \(id)").first.map(Self.decode)
    }

    func defaultMethod() async throws -> PaymentMethod? {
        try await connection.query("SELECT \(unescaped: Self.columnList) FROM payment_methods WHERE is_default").first.map(Self.decode)
    }

    /// Adds `method`; the first one becomes the default. Returns nil when the reference is already stored.
    func insert(_ method: PaymentMethod, tenant: TenantID) async throws -> PaymentMethod? {
        let hasDefault = try await defaultMethod() != nil
        let rows = try await connection.query(
            """
            INSERT INTO payment_methods (tenant_id, id, provider_reference, brand, last4, exp_month, exp_year, is_default, created_at)
            VALUES (\(tenant.uuid), \(method.id), \(method.providerReference), \(method.brand), \(method.last4), \(method.expMonth),
                \(method.expYear), \(!hasDefault), \(method.createdAt))
            ON CONFLICT (tenant_id, provider_reference) DO NOTHING
            RETURNING \(unescaped: Self.columnList)
            """
        )
        return try rows.first.map(Self.decode)
    }

    /// Makes `id` the default; false when there is no such method.
    func makeDefault(_ id: UUID) async throws -> Bool {
        guard try await find(id) != nil else { return false }
        try await connection.execute("UPDATE payment_methods SET is_default = false WHERE is_default AND id <> \(id)")
        try await connection.execute("UPDATE payment_methods SET is_default = true WHERE id = \(id)")
        return true
    }

    /// Removes `id`; if it was the default, the newest remaining method takes its place.
    func delete(_ id: UUID) async throws -> Bool {
        guard let removed = try await find(id) else { return false }
        try await connection.execute("DELETE FROM payment_methods WHERE id = \(id)")
        if removed.isDefault {
            try await connection.execute(
                "UPDATE payment_methods SET is_default = true WHERE id = (SELECT id FROM payment_methods ORDER BY created_at DESC, id LIMIT 1)"
            )
        }
        return true
    }

    static func decode(_ row: PostgresRow) throws -> PaymentMethod {
        PaymentMethod(
            id: try row.decode(UUID.self, named: "id"),
            providerReference: try row.decode(String.self, named: "provider_reference"),
            brand: try row.decode(String.self, named: "brand"),
            last4: try row.decode(String.self, named: "last4"),
            expMonth: try row.decode(Int.self, named: "exp_month"),
            expYear: try row.decode(Int.self, named: "exp_year"),
            isDefault: try row.decode(Bool.self, named: "is_default"),
            createdAt: try row.decode(Date.self, named: "created_at")
        )
    }
}
