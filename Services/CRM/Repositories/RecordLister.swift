import ERPPostgres
import ERPProtocol
import Foundation

/// Which rows of a record table a list shows.
enum DeletedFilter: String, Sendable {
    /// Live records only (the default).
    case exclude
    /// The trash: soft-deleted records only.
    case only
}

/// The shared keyset-paginated list query of the four record tables: filters, an optional text
/// search (word prefixes from `search_terms`, ranked by the tsvector and trigram similarity), a
/// sort chosen from documented fields, and `limit + 1` rows so the caller knows if a page follows.
struct RecordLister {
    let connection: PostgresConnection

    struct Table: Sendable {
        let name: StaticString
        let recordType: RecordType
        /// The select list over the alias `r`.
        let columns: StaticString
    }

    func list(
        _ table: Table, filters: [any ListConditions], deleted: DeletedFilter, search: SearchText?, sort: ListSort, after: ListCursor?, limit: Int
    ) async throws -> [PostgresRow] {
        var sql = SQLBuilder()
        if let search {
            sql.append("WITH m AS (SELECT t.id, (ts_rank(t.search_vector, to_tsquery('simple', ")
            sql.bind(search.prefixQuery)
            sql.append(")) + public.similarity(t.search_text, ")
            sql.bind(search.raw)
            sql.append("))::float8 AS rank FROM ")
            sql.append(table.name)
            sql.append(" t WHERE t.id IN (")
            Self.appendMatches(&sql, types: [table.recordType], search: search, selectType: false)
            sql.append(")) ")
        }
        sql.append("SELECT ")
        sql.append(table.columns)
        sql.append(", (")
        sql.append(sort.field.expression)
        sql.append(")::text AS sort_key FROM ")
        sql.append(table.name)
        sql.append(" r")
        if search != nil { sql.append(" JOIN m ON m.id = r.id") }
        switch deleted {
        case .exclude: sql.append(" WHERE r.deleted_at IS NULL")
        case .only: sql.append(" WHERE r.deleted_at IS NOT NULL")
        }
        for filter in filters { filter.appendConditions(to: &sql) }
        sql.appendKeysetPage(sort: sort, after: after, limit: limit)
        return Array(try await connection.query(sql.query()))
    }

    /// `SELECT [record_type,] record_id … INTERSECT …`: records of `types` having, for every word
    /// of the search, a word starting with it — or, when fuzzy, a word with the same first letter
    /// that is trigram-similar to it. Byte-order ranges on the "C" collated term use the index;
    /// similar words are found among the tenant's distinct words first (`search_words`, a few
    /// hundred per letter instead of one row per record and word), then looked up exactly.
    static func appendMatches(_ sql: inout SQLBuilder, types: [RecordType], search: SearchText, selectType: Bool) {
        for (index, word) in search.words.enumerated() {
            if index > 0 { sql.append(" INTERSECT ") }
            sql.append(selectType ? "SELECT DISTINCT st.record_type, st.record_id" : "SELECT st.record_id")
            sql.append(" FROM search_terms st WHERE st.record_type = ANY(?) AND ((st.term >= ? AND st.term < ?)",
                       types.map(\.rawValue), word, SearchText.upperBound(word))
            if search.fuzzy {
                sql.append(" OR st.term = ANY(ARRAY(")
                sql.appendSimilarWords(word)
                sql.append("))")
            }
            sql.append(")")
        }
    }

    /// The cursor keys of a fetched row (its sort key and id).
    static func cursor(_ row: PostgresRow, sort: ListSort) throws -> ListCursor {
        ListCursor(s: sort.token, k: try row.decode(String.self, named: "sort_key"), id: try row.decode(UUID.self, named: "id"))
    }
}

extension SQLBuilder {
    /// ` AND (sort, r.id) > (cursor…) ORDER BY sort, r.id LIMIT n` (reversed for descending sorts):
    /// the keyset page after `after` over the alias `r`.
    mutating func appendKeysetPage(sort: ListSort, after: ListCursor?, limit: Int) {
        if let after {
            append(" AND (")
            append(sort.field.expression)
            append(", r.id) ")
            append(sort.descending ? "<" : ">")
            append(" (CAST(")
            bind(after.k)
            append(" AS ")
            append(sort.field.sqlType)
            append("), ")
            bind(after.id)
            append(")")
        }
        append(" ORDER BY ")
        append(sort.field.expression)
        append(sort.descending ? " DESC, r.id DESC LIMIT " : " ASC, r.id ASC LIMIT ")
        bind(limit)
    }
}

/// Turns fetched rows (one more than the page) into a page of responses with its cursor.
func makePage<Item: Codable & Sendable>(
    _ rows: [PostgresRow], request: PageRequest, sort: ListSort, transform: (PostgresRow) throws -> Item
) throws -> Page<Item> {
    let kept = Array(rows.prefix(request.limit))
    var next: Cursor?
    if rows.count > request.limit, let last = kept.last {
        next = try Cursor(encoding: RecordLister.cursor(last, sort: sort))
    }
    return Page(items: try kept.map(transform), nextCursor: next)
}
