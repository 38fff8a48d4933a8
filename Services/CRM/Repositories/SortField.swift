import Foundation

/// A field a list can be sorted by: its API name, the SQL expression over the record alias `r`
/// (never NULL: nullable columns are coalesced) and the expression's type for keyset cursors.
struct SortField: Sendable {
    let name: String
    let expression: StaticString
    let sqlType: StaticString

    /// Relevance of a text search (`q`), highest first by default; only with `q`.
    static let relevance = SortField(name: "relevance", expression: "m.rank", sqlType: "float8")
    static let createdAt = SortField(name: "createdAt", expression: "r.created_at", sqlType: "timestamptz")
    static let updatedAt = SortField(name: "updatedAt", expression: "r.updated_at", sqlType: "timestamptz")
}
