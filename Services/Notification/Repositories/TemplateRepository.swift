import ERPPostgres
import ERPProtocol
import Foundation

/// The tenant's own templates.
struct TemplateRepository {
    struct Stored: Sendable {
        var id: UUID
        var eventType: String
        var channel: Channel
        var locale: String
        var content: TemplateContent
        var version: Int
        var updatedAt: Date
    }

    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    func find(eventType: String, channel: Channel, locale: String) async throws -> Stored? {
        try await connection.query(
            """
            SELECT id, event_type, channel, locale, subject, text_body, html_body, version, updated_at FROM templates
            WHERE event_type = \(eventType) AND channel = \(channel.rawValue) AND locale = \(locale)
            """
        ).map(Self.stored).first
    }

    func find(_ id: UUID) async throws -> Stored? {
        try await connection.query(
            "SELECT id, event_type, channel, locale, subject, text_body, html_body, version, updated_at FROM templates WHERE id = \(id)"
        ).map(Self.stored).first
    }

    func all() async throws -> [Stored] {
        try await connection.query(
            "SELECT id, event_type, channel, locale, subject, text_body, html_body, version, updated_at FROM templates ORDER BY event_type, channel, locale"
        ).map(Self.stored)
    }

    /// Creates or replaces the template of (event type, channel, locale); nil on a version mismatch.
    func save(eventType: String, channel: Channel, locale: String, content: TemplateContent, tenant: TenantID, expectedVersion: Int?) async throws -> Stored? {
        try await connection.query(
            """
            INSERT INTO templates (tenant_id, id, event_type, channel, locale, subject, text_body, html_body)
            VALUES (\(tenant.uuid), \(UUID()), \(eventType), \(channel.rawValue), \(locale), \(content.subject), \(content.text), \(content.html))
            ON CONFLICT (tenant_id, event_type, channel, locale) DO UPDATE SET subject = EXCLUDED.subject, text_body = EXCLUDED.text_body,
                html_body = EXCLUDED.html_body, version = templates.version + 1, updated_at = now()
            WHERE \(expectedVersion == nil) OR templates.version = \(expectedVersion ?? 0)
            RETURNING id, event_type, channel, locale, subject, text_body, html_body, version, updated_at
            """
        ).map(Self.stored).first
    }

    func delete(_ id: UUID) async throws -> Bool {
        try await connection.execute("DELETE FROM templates WHERE id = \(id)") == 1
    }

    private static func stored(_ row: PostgresRow) throws -> Stored {
        Stored(
            id: try row.decode(UUID.self, at: 0), eventType: try row.decode(String.self, at: 1),
            channel: Channel(rawValue: try row.decode(String.self, at: 2)) ?? .email, locale: try row.decode(String.self, at: 3),
            content: TemplateContent(subject: try row.decode(String.self, at: 4), text: try row.decode(String.self, at: 5),
                                     html: try row.decode(String?.self, at: 6)),
            version: try row.decode(Int.self, at: 7), updatedAt: try row.decode(Date.self, at: 8)
        )
    }
}
