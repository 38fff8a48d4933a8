import ERPPostgres
import ERPProtocol
import Foundation

/// Activities of the tenant of the caller's transaction.
struct ActivityRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    static let columns: StaticString = """
        r.id, r.kind, r.subject, r.body, r.record_type, r.record_id, r.occurred_at, r.due_at, r.done, r.done_at, r.done_by, \
        r.duration_minutes, r.owner_id, r.version, r.created_by, r.created_at, r.updated_at, r.deleted_at
        """

    /// Sortable fields of `GET /v1/activities` (tasks without a due date sort last by `dueAt`).
    static let sortFields: [SortField] = [
        SortField(name: "occurredAt", expression: "r.occurred_at", sqlType: "timestamptz"),
        SortField(name: "dueAt", expression: "coalesce(r.due_at, 'infinity'::timestamptz)", sqlType: "timestamptz"),
        .createdAt, .updatedAt,
    ]

    func find(_ id: UUID, forUpdate: Bool = false) async throws -> Activity? {
        let rows = forUpdate
            ? try await connection.query("SELECT \(unescaped: Self.columns) FROM activities r WHERE r.id = \(id) FOR UPDATE")
            : try await connection.query("SELECT \(unescaped: Self.columns) FROM activities r WHERE r.id = \(id)")
        return try rows.first.map(Self.decode)
    }

    func insert(_ activity: Activity, tenant: TenantID) async throws {
        try await connection.execute(
            """
            INSERT INTO activities (tenant_id, id, kind, subject, body, record_type, record_id, occurred_at, due_at, done, done_at, done_by,
                duration_minutes, owner_id, version, created_by, created_at, updated_at)
            VALUES (\(tenant.uuid), \(activity.id), \(activity.kind.rawValue), \(activity.subject), \(activity.body), \(activity.recordType.rawValue),
                \(activity.recordID), \(activity.occurredAt), \(activity.dueAt), \(activity.done), \(activity.doneAt), \(activity.doneBy),
                \(activity.durationMinutes), \(activity.ownerID?.uuid), \(activity.version), \(activity.createdBy), \(activity.createdAt),
                \(activity.updatedAt))
            """
        )
    }

    func update(_ activity: Activity, expectedVersion: Int64) async throws -> Bool {
        try await connection.execute(
            """
            UPDATE activities SET subject = \(activity.subject), body = \(activity.body), occurred_at = \(activity.occurredAt),
                due_at = \(activity.dueAt), done = \(activity.done), done_at = \(activity.doneAt), done_by = \(activity.doneBy),
                duration_minutes = \(activity.durationMinutes), owner_id = \(activity.ownerID?.uuid), version = \(activity.version),
                updated_at = \(activity.updatedAt), deleted_at = \(activity.deletedAt)
            WHERE id = \(activity.id) AND version = \(expectedVersion)
            """
        ) == 1
    }

    /// A keyset page of live activities matching `filter`.
    func list(filter: ActivityFilter, sort: ListSort, after: ListCursor?, limit: Int) async throws -> [PostgresRow] {
        var sql = SQLBuilder("SELECT ")
        sql.append(Self.columns)
        sql.append(", (")
        sql.append(sort.field.expression)
        sql.append(")::text AS sort_key FROM activities r WHERE r.deleted_at IS NULL")
        filter.appendConditions(to: &sql)
        sql.appendKeysetPage(sort: sort, after: after, limit: limit)
        return Array(try await connection.query(sql.query()))
    }

    /// Re-points a merged record's activities at its survivor.
    func move(_ recordType: RecordType, from duplicate: UUID, to survivor: UUID) async throws {
        try await connection.execute(
            "UPDATE activities SET record_id = \(survivor) WHERE record_type = \(recordType.rawValue) AND record_id = \(duplicate)")
    }

    static func decode(_ row: PostgresRow) throws -> Activity {
        Activity(
            id: try row.decode(UUID.self, named: "id"),
            kind: ActivityKind(rawValue: try row.decode(String.self, named: "kind")) ?? .note,
            subject: try row.decode(String.self, named: "subject"),
            body: try row.decode(String.self, named: "body"),
            recordType: RecordType(rawValue: try row.decode(String.self, named: "record_type")) ?? .company,
            recordID: try row.decode(UUID.self, named: "record_id"),
            occurredAt: try row.decode(Date.self, named: "occurred_at"),
            dueAt: try row.decode(Date?.self, named: "due_at"),
            done: try row.decode(Bool.self, named: "done"),
            doneAt: try row.decode(Date?.self, named: "done_at"),
            doneBy: try row.decode(String?.self, named: "done_by"),
            durationMinutes: try row.decode(Int?.self, named: "duration_minutes"),
            ownerID: try row.decode(UUID?.self, named: "owner_id").map(UserID.init),
            version: try row.decode(Int64.self, named: "version"),
            createdBy: try row.decode(String.self, named: "created_by"),
            createdAt: try row.decode(Date.self, named: "created_at"),
            updatedAt: try row.decode(Date.self, named: "updated_at"),
            deletedAt: try row.decode(Date?.self, named: "deleted_at")
        )
    }
}
