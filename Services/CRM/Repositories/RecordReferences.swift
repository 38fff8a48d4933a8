import ERPPostgres
import ERPProtocol
import Foundation

/// References to companies and contacts held by other records, re-pointed when a duplicate is
/// merged into its survivor.
struct RecordReferences {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func move(_ recordType: RecordType, from duplicate: UUID, to survivor: UUID) async throws {
    }
}
