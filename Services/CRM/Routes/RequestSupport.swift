import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Hummingbird

/// The list parameters every record list shares: `limit`, `cursor`, `sort`, `q` (text search),
/// `fuzzy`, `deleted`, `ownerId`, `tag`, `createdFrom`/`createdTo`, `updatedFrom`/`updatedTo`;
/// plus the record type's own filter, which its controller parses.
struct ListParameters: Sendable {
    let page: PageRequest
    let sort: ListSort
    let after: ListCursor?
    let search: SearchText?
    let deleted: DeletedFilter
    let shared: RecordFilter
    /// The record type's own filter (e.g. a `ContactFilter`).
    var filter: (any ListConditions)?

    init(_ request: Request, sortFields: [SortField], defaultSort: String = "-createdAt") throws {
        let query = request.uri.queryParameters
        page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        search = try SearchText(query.get("q"), fuzzy: try Self.bool(query.get("fuzzy"), name: "fuzzy") ?? false)
        sort = try ListSort.parse(query.get("sort"), fields: sortFields, searching: search != nil, default: defaultSort)
        after = try ListCursor.decode(page, sort: sort)
        deleted = try Self.bool(query.get("deleted"), name: "deleted") == true ? .only : .exclude
        var shared = RecordFilter()
        var issues: [FieldIssue] = []
        if let text = query.get("ownerId"), !text.isEmpty {
            if let owner = UUID(uuidString: text) {
                shared.ownerID = owner
            } else {
                issues.append(.invalid("ownerId", message: "A user id."))
            }
        }
        if let tag = query.get("tag"), !tag.isEmpty {
            shared.tag = tag.trimmingCharacters(in: .whitespaces).lowercased()
        }
        for (name, bound) in [("createdFrom", \RecordFilter.createdFrom), ("createdTo", \.createdTo),
                              ("updatedFrom", \.updatedFrom), ("updatedTo", \.updatedTo)] as [(String, WritableKeyPath<RecordFilter, Date?>)] {
            guard let text = query.get(name), !text.isEmpty else { continue }
            guard let date = ERPJSON.date(from: text) else {
                issues.append(.invalid(name, message: "An ISO-8601 timestamp, e.g. 2026-01-31T00:00:00Z."))
                continue
            }
            shared[keyPath: bound] = date
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        self.shared = shared
    }

    /// The page of `table` these parameters ask for (one row more than the limit), after `cursor`
    /// when given instead of the request's own.
    func rows(_ table: RecordLister.Table, _ connection: PostgresConnection, after cursor: ListCursor? = nil, limit: Int? = nil) async throws -> [PostgresRow] {
        try await RecordLister(connection: connection).list(
            table, filters: [shared] + (filter.map { [$0] } ?? []), deleted: deleted, search: search, sort: sort, after: cursor ?? after,
            limit: limit ?? page.fetchLimit)
    }

    static func bool(_ text: String?, name: String) throws -> Bool? {
        guard let text, !text.isEmpty else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw ProblemDetails.validation([.invalid(name, message: "true or false.")])
        }
    }

    /// The trimmed value of the text parameter `name`, if given (not blank).
    static func text(_ request: Request, _ name: String, lowercased: Bool = false) -> String? {
        guard let value = request.uri.queryParameters.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return lowercased ? value.lowercased() : value
    }
}

extension Request {
    /// `If-Match` as a record version (`"3"`), required.
    func ifMatchVersion() throws -> Int64 {
        Int64(try requiredVersion())
    }

    /// `If-Match` when present (deletes accept it without requiring it).
    func optionalIfMatchVersion() throws -> Int64? {
        headers[.ifMatch] == nil ? nil : Int64(try requiredVersion())
    }
}

extension HTTPFields {
    static func etag(_ version: Int64) -> HTTPFields {
        [.eTag: "\"\(version)\""]
    }

    static func created(_ version: Int64, location: String) -> HTTPFields {
        [.eTag: "\"\(version)\"", .location: location]
    }
}

/// Body of a merge request.
struct MergeInput: Decodable, Sendable {
    var duplicateId: UUID
}
