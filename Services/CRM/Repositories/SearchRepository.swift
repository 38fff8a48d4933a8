import ERPPostgres
import ERPProtocol
import Foundation

/// Full-text search across companies, contacts, leads and opportunities of the tenant of the
/// caller's transaction: every word of the query must prefix a word of the record (index-backed,
/// see `search_terms`), or with `fuzzy` be trigram-similar to one (pg_trgm, for typos). Ranked
/// by ts_rank on the tsvector plus trigram similarity of the whole text.
struct SearchRepository {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) { self.connection = connection }

    struct Hit: Sendable, Hashable {
        var recordType: RecordType
        var id: UUID
        var title: String
        var subtitle: String
        var rank: Double
        /// PostgreSQL's text of `rank`, for an exact keyset cursor.
        var rankKey: String
    }

    /// Where the last hit of a page stands in the order (rank desc, type desc, id desc).
    struct After: Codable, Sendable {
        var rank: String
        var type: String
        var id: UUID
    }

    func search(_ search: SearchText, types: [RecordType], after: After?, limit: Int) async throws -> [Hit] {
        var sql = SQLBuilder("WITH q AS (SELECT to_tsquery('simple', ")
        sql.bind(search.prefixQuery)
        sql.append(") AS query), m AS (")
        RecordLister.appendMatches(&sql, types: types, search: search, selectType: true)
        sql.append("), hits AS (")
        for (index, type) in types.enumerated() {
            if index > 0 { sql.append(" UNION ALL ") }
            switch type {
            case .company:
                sql.append("SELECT 'company' AS record_type, r.id, r.name AS title, coalesce(r.domain, '') AS subtitle, ")
            case .contact:
                sql.append("""
                    SELECT 'contact', r.id, coalesce(nullif(trim(r.first_name || ' ' || r.last_name), ''), r.email, ''), coalesce(r.email, ''), 
                    """)
            case .lead:
                sql.append("""
                    SELECT 'lead', r.id, coalesce(nullif(trim(r.first_name || ' ' || r.last_name), ''), r.email, ''), \
                    coalesce(r.company_name, r.email, ''), 
                    """)
            case .opportunity:
                sql.append("SELECT 'opportunity', r.id, r.name, r.status || ' · ' || r.currency || ' ' || r.amount_minor, ")
            }
            sql.append("(ts_rank(r.search_vector, q.query) + public.similarity(r.search_text, ")
            sql.bind(search.raw)
            sql.append("))::float8 AS rank FROM ")
            switch type {
            case .company: sql.append("companies r JOIN m ON m.record_type = 'company'")
            case .contact: sql.append("contacts r JOIN m ON m.record_type = 'contact'")
            case .lead: sql.append("leads r JOIN m ON m.record_type = 'lead'")
            case .opportunity: sql.append("opportunities r JOIN m ON m.record_type = 'opportunity'")
            }
            sql.append(" AND m.record_id = r.id CROSS JOIN q WHERE r.deleted_at IS NULL")
        }
        sql.append(") SELECT record_type, id, title, subtitle, rank, rank::text AS rank_key FROM hits h")
        if let after {
            sql.append(" WHERE (h.rank, h.record_type, h.id) < (CAST(? AS float8), ?, ?)", after.rank, after.type, after.id)
        }
        sql.append(" ORDER BY h.rank DESC, h.record_type DESC, h.id DESC LIMIT ?", limit)
        return try await connection.query(sql.query()).map { row in
            Hit(
                recordType: RecordType(rawValue: try row.decode(String.self, named: "record_type")) ?? .company,
                id: try row.decode(UUID.self, named: "id"), title: try row.decode(String.self, named: "title"),
                subtitle: try row.decode(String.self, named: "subtitle"), rank: try row.decode(Double.self, named: "rank"),
                rankKey: try row.decode(String.self, named: "rank_key"))
        }
    }
}
