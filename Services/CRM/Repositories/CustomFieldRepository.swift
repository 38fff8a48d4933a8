import ERPPostgres
import ERPProtocol
import Foundation

/// Custom field definitions of the tenant of the caller's transaction.
struct CustomFieldRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    private static let columns: StaticString =
        "id, entity, key, label, field_type, options, required, position, version, created_at, updated_at"

    func all(entity: RecordType? = nil) async throws -> [CustomFieldDefinition] {
        try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM custom_field_definitions
            WHERE (\(entity?.rawValue)::text IS NULL OR entity = \(entity?.rawValue))
            ORDER BY entity, position, key
            """
        ).map(Self.decode)
    }

    func find(_ id: UUID) async throws -> CustomFieldDefinition? {
        try await connection.query("SELECT \(unescaped: Self.columns) FROM custom_field_definitions WHERE id = \(id)").first.map(Self.decode)
    }

    /// Adds `definition`; false when its key is already defined for the entity.
    func insert(_ definition: CustomFieldDefinition, tenant: TenantID) async throws -> Bool {
        try await connection.execute(
            """
            INSERT INTO custom_field_definitions (tenant_id, id, entity, key, label, field_type, options, required, position, version, created_at, updated_at)
            VALUES (\(tenant.uuid), \(definition.id), \(definition.entity.rawValue), \(definition.key), \(definition.label),
                \(definition.type.rawValue), \(definition.options), \(definition.required), \(definition.position), \(definition.version),
                \(definition.createdAt), \(definition.updatedAt))
            ON CONFLICT (tenant_id, entity, key) DO NOTHING
            """
        ) == 1
    }

    func update(_ definition: CustomFieldDefinition, expectedVersion: Int64) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE custom_field_definitions SET label = \(definition.label), options = \(definition.options), required = \(definition.required),
                position = \(definition.position), version = \(definition.version), updated_at = \(definition.updatedAt)
            WHERE id = \(definition.id) AND version = \(expectedVersion)
            """
        ) == 1
    }

    /// Removes the definition and its values from every record of its type.
    func delete(_ definition: CustomFieldDefinition) async throws {
        try await connection.execute("DELETE FROM custom_field_definitions WHERE id = \(definition.id)")
        let key = definition.key
        switch definition.entity {
        case .company:
            try await connection.execute("UPDATE companies SET custom_fields = custom_fields - \(key), version = version + 1 WHERE custom_fields ? \(key)")
        case .contact:
            try await connection.execute("UPDATE contacts SET custom_fields = custom_fields - \(key), version = version + 1 WHERE custom_fields ? \(key)")
        case .lead:
            try await connection.execute("UPDATE leads SET custom_fields = custom_fields - \(key), version = version + 1 WHERE custom_fields ? \(key)")
        case .opportunity:
            try await connection.execute(
                "UPDATE opportunities SET custom_fields = custom_fields - \(key), version = version + 1 WHERE custom_fields ? \(key)")
        }
    }

    static func decode(_ row: PostgresRow) throws -> CustomFieldDefinition {
        CustomFieldDefinition(
            id: try row.decode(UUID.self, named: "id"),
            entity: RecordType(rawValue: try row.decode(String.self, named: "entity")) ?? .company,
            key: try row.decode(String.self, named: "key"),
            label: try row.decode(String.self, named: "label"),
            type: CustomFieldDefinition.FieldType(rawValue: try row.decode(String.self, named: "field_type")) ?? .text,
            options: try row.decode([String].self, named: "options"),
            required: try row.decode(Bool.self, named: "required"),
            position: try row.decode(Int.self, named: "position"),
            version: try row.decode(Int64.self, named: "version"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at")
        )
    }
}
