import ERPPostgres
import ERPProtocol
import Foundation

/// Whether a record of any type exists (and is live) in the tenant of the caller's transaction.
struct RecordExistence {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    /// nil when there is no such record; otherwise whether it is in the trash.
    func deletedAt(_ recordType: RecordType, _ id: UUID) async throws -> Date?? {
        let rows: PostgresRows = switch recordType {
        case .company: try await connection.query("SELECT deleted_at FROM companies WHERE id = \(id)")
        case .contact: try await connection.query("SELECT deleted_at FROM contacts WHERE id = \(id)")
        case .lead: try await connection.query("SELECT deleted_at FROM leads WHERE id = \(id)")
        case .opportunity: try await connection.query("SELECT deleted_at FROM opportunities WHERE id = \(id)")
        }
        guard let row = rows.first else { return nil }
        return .some(try row.decode(Date?.self, at: 0))
    }

    /// Whether the record exists and is not deleted.
    func isLive(_ recordType: RecordType, _ id: UUID) async throws -> Bool {
        guard let deleted = try await deletedAt(recordType, id) else { return false }
        return deleted == nil
    }
}
