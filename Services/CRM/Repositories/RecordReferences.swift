import ERPPostgres
import ERPProtocol
import Foundation

/// References to companies and contacts held by other records, re-pointed when a duplicate is
/// merged into its survivor.
struct RecordReferences {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func move(_ recordType: RecordType, from duplicate: UUID, to survivor: UUID) async throws {
        try await ActivityRepository(connection).move(recordType, from: duplicate, to: survivor)
        switch recordType {
        case .company:
            try await connection.execute(
                "UPDATE opportunities SET company_id = \(survivor), version = version + 1 WHERE company_id = \(duplicate)")
            try await connection.execute("UPDATE leads SET converted_company_id = \(survivor) WHERE converted_company_id = \(duplicate)")
        case .contact:
            try await connection.execute(
                "UPDATE opportunities SET contact_id = \(survivor), version = version + 1 WHERE contact_id = \(duplicate)")
            try await connection.execute("UPDATE leads SET converted_contact_id = \(survivor) WHERE converted_contact_id = \(duplicate)")
        case .lead, .opportunity:
            break
        }
    }
}
