import ERPPostgres
import ERPProtocol
import Foundation

/// Billing details of the tenant of the caller's transaction.
struct BillingSettingsRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// The settings, or ``BillingSettings/none`` (version 0) before the first save.
    func get() async throws -> BillingSettings {
        guard let row = try await connection.query(
            "SELECT tax_rate_bp, tax_label, billing_email, provider_customer_id, version FROM billing_settings"
        ).first else { return .none }
        return BillingSettings(
            taxRateBasisPoints: try row.decode(Int.self, named: "tax_rate_bp"), taxLabel: try row.decode(String.self, named: "tax_label"),
            billingEmail: try row.decode(String?.self, named: "billing_email"),
            providerCustomerID: try row.decode(String?.self, named: "provider_customer_id"), version: try row.decode(Int.self, named: "version")
        )
    }

    /// Saves tax and contact details if the stored version is still `expectedVersion`; nil otherwise.
    func save(_ settings: BillingSettings, tenant: TenantID, expectedVersion: Int) async throws -> BillingSettings? {
        let changed: Int
        if expectedVersion == 0 {
            changed = try await connection.execute(
                """
                INSERT INTO billing_settings (tenant_id, tax_rate_bp, tax_label, billing_email)
                VALUES (\(tenant.uuid), \(settings.taxRateBasisPoints), \(settings.taxLabel), \(settings.billingEmail))
                ON CONFLICT (tenant_id) DO NOTHING
                """
            )
        } else {
            changed = try await connection.execute(
                """
                UPDATE billing_settings SET tax_rate_bp = \(settings.taxRateBasisPoints), tax_label = \(settings.taxLabel),
                    billing_email = \(settings.billingEmail), version = version + 1, updated_at = now()
                WHERE version = \(expectedVersion)
                """
            )
        }
        return changed == 1 ? try await get() : nil
    }

    func setProviderCustomer(_ customer: String, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO billing_settings (tenant_id, provider_customer_id) VALUES (\(tenant.uuid), \(customer))
            ON CONFLICT (tenant_id) DO UPDATE SET provider_customer_id = EXCLUDED.provider_customer_id
            """
        )
    }
}
