import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The organization's users who may own records, for owner pickers (`GET /v1/members`).
struct MemberController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/members", use: list)
    }

    struct MemberResponse: Codable, Sendable {
        var id: UserID
        var name: String
        var email: String
        var status: Member.Status
        var updatedAt: Date

        init(_ member: Member) {
            id = member.userID
            name = member.name
            email = member.email
            status = member.status
            updatedAt = member.updatedAt
        }
    }

    /// The last member of a page; the next page starts after its place in the order.
    struct MemberCursor: Codable {
        var id: UserID
    }

    /// By name; `status` (`active` or `deactivated`) filters. Anyone who reads some kind of
    /// record may see who can own records.
    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<MemberResponse> {
        let identity = try context.requireIdentity()
        let readable = RecordType.allCases.first { identity.has(CRMPermission.read($0)) } ?? .company
        let tenant = try context.require(CRMPermission.read(readable)).tenantID
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        var status: Member.Status?
        if let text = query.get("status"), !text.isEmpty {
            guard let parsed = Member.Status(rawValue: text) else {
                throw ProblemDetails.validation([.invalid("status", message: "active or deactivated.")])
            }
            status = parsed
        }
        let after = try page.cursor?.decode(MemberCursor.self)
        let members = try await dependencies.read(tenant) {
            try await MemberRepository($0.connection).page(status: status, after: after?.id, limit: page.fetchLimit)
        }
        return try Page(fetched: members.map(MemberResponse.init), request: page) { MemberCursor(id: $0.id) }
    }
}
