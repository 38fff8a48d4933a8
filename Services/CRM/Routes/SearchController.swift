import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `GET /v1/search?q=…`: one ranked, cursor-paginated list across the record types the caller
/// may read (or those named in `types`).
struct SearchController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/search", use: search)
    }

    struct Hit: Codable, Sendable {
        var type: RecordType
        @LowercaseUUID var id: UUID
        var title: String
        var subtitle: String
        var rank: Double
    }

    @Sendable func search(_ request: Request, context: ERPRequestContext) async throws -> Page<Hit> {
        let identity = try context.requireIdentity()
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let after = try page.cursor?.decode(SearchRepository.After.self)
        guard let text = try SearchText(query.get("q"), fuzzy: try ListParameters.bool(query.get("fuzzy"), name: "fuzzy") ?? false) else {
            throw ProblemDetails.validation([.required("q")])
        }
        var requested = RecordType.allCases
        if let list = query.get("types"), !list.isEmpty {
            requested = []
            for name in list.split(separator: ",") {
                guard let type = RecordType(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ProblemDetails.validation([.invalid("types", message: "Comma-separated: company, contact, lead, opportunity.")])
                }
                if !requested.contains(type) { requested.append(type) }
            }
        }
        // Types the caller may not read are left out; asking only for those is a 403.
        let types = requested.filter { identity.has(CRMPermission.read($0)) }
        guard !types.isEmpty else { try context.require(CRMPermission.read(requested[0])); throw ProblemDetails.forbidden() }
        let tenant = try context.requireTenant()
        let hits = try await dependencies.read(tenant) {
            try await SearchRepository($0.connection).search(text, types: types, after: after, limit: page.fetchLimit)
        }
        let kept = Array(hits.prefix(page.limit))
        let next = hits.count > page.limit
            ? try kept.last.map { try Cursor(encoding: SearchRepository.After(rank: $0.rankKey, type: $0.recordType.rawValue, id: $0.id)) } : nil
        return Page(items: kept.map { Hit(type: $0.recordType, id: $0.id, title: $0.title, subtitle: $0.subtitle, rank: $0.rank) }, nextCursor: next)
    }
}
