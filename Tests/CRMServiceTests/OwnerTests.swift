import ERPProtocol
import ERPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import CRMService

@Suite("CRM: record owners (assign rule, members from auth's events)")
struct OwnerTests {
    /// What every record answer has in common, enough to see who owns it and whether it changed.
    struct Owned: Codable, Sendable {
        var id: UUID
        var ownerId: UserID?
        var version: Int64
    }

    /// A minimal valid body of each record type, with `ownerId` when given.
    static func body(_ type: RecordType, owner: UserID? = nil) -> String {
        let fields = switch type {
        case .company: #""name":"Owned Co""#
        case .contact: #""lastName":"Owned""#
        case .lead: #""lastName":"Owned","source":"web""#
        case .opportunity: #""name":"Owned deal","amount":{"amountMinor":100,"currency":"USD"}"#
        }
        return "{\(fields)\(owner.map { #","ownerId":"\#($0)""# } ?? "")}"
    }

    /// Changes the owner the way each type allows: PATCH `ownerId`, or `POST …/assign` for leads.
    static func reassign(_ harness: CRMHarness, _ type: RecordType, _ record: Owned, to owner: UserID, token: String) async throws -> TestResponse {
        let path = "/v1/\(type.plural)/\(record.id.lowercased)"
        if type == .lead { return try await harness.send(.post, path + "/assign", token: token, json: #"{"ownerId":"\#(owner)"}"#) }
        return try await harness.send(.patch, path, token: token, json: #"{"ownerId":"\#(owner)"}"#, headers: .ifMatch("\"\(record.version)\""))
    }

    static func fetch(_ harness: CRMHarness, _ type: RecordType, _ id: UUID, _ tenant: TestTenant) async throws -> Owned {
        try await harness.send(.get, "/v1/\(type.plural)/\(id.lowercased)", token: tenant.token).decoded(Owned.self)
    }

    static func count(_ harness: CRMHarness, _ type: RecordType, _ tenant: TestTenant) async throws -> Int {
        try await harness.send(.get, "/v1/\(type.plural)?limit=200", token: tenant.token).decoded(Page<Owned>.self).items.count
    }

    @Test("a User owns what it creates and hands over its own records, but gives nothing else away; a Manager reassigns")
    func assignRule() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let rep = try await harness.member(tenant.id, name: "Rep")
            let colleague = try await harness.member(tenant.id, name: "Colleague")
            let repToken = try harness.token(tenant: tenant.id, permissions: CRMHarness.userPermissions, user: rep, roles: ["User"])
            let manager = try await harness.member(tenant.id, name: "Manager")
            let managerToken = try harness.token(
                tenant: tenant.id, permissions: ["crm.*.read", "crm.*.create", "crm.*.update", "crm.*.assign"], user: manager, roles: ["Manager"])
            for type in RecordType.allCases {
                let path = "/v1/\(type.plural)"
                // Its own, named or by default.
                let named = try await harness.send(.post, path, token: repToken, json: Self.body(type, owner: rep))
                #expect(named.status == .created, "\(type): \(named.text)")
                let mine = try named.decoded(Owned.self)
                #expect(mine.ownerId == rep)
                let implicit = try await harness.send(.post, path, token: repToken, json: Self.body(type))
                #expect(try implicit.decoded(Owned.self).ownerId == rep, "\(type)")

                // Someone else's: refused, nothing created.
                let before = try await Self.count(harness, type, tenant)
                let refused = try await harness.send(.post, path, token: repToken, json: Self.body(type, owner: colleague))
                #expect(refused.status == .forbidden, "\(type): \(refused.status)")
                #expect(refused.problem?.detail?.contains("crm.\(type.rawValue).assign") == true)
                #expect(try await Self.count(harness, type, tenant) == before)

                // A Manager may create it for the colleague; the User may not take it over.
                let theirs = try await harness.send(.post, path, token: managerToken, json: Self.body(type, owner: colleague)).decoded(Owned.self)
                #expect(theirs.ownerId == colleague)
                let takeover = try await Self.reassign(harness, type, theirs, to: rep, token: repToken)
                #expect(takeover.status == .forbidden, "\(type): \(takeover.status) \(takeover.text)")
                let unchanged = try await Self.fetch(harness, type, theirs.id, tenant)
                #expect(unchanged.ownerId == colleague && unchanged.version == theirs.version, "\(type)")

                // Handing over its own record needs no assign permission.
                let handover = try await Self.reassign(harness, type, mine, to: colleague, token: repToken)
                #expect(handover.status == .ok, "\(type): \(handover.text)")
                #expect(try handover.decoded(Owned.self).ownerId == colleague)

                // The Manager reassigns someone else's record.
                let reassigned = try await Self.reassign(harness, type, unchanged, to: rep, token: managerToken)
                #expect(reassigned.status == .ok, "\(type): \(reassigned.text)")
                #expect(try reassigned.decoded(Owned.self).ownerId == rep)
            }

            // An import of rows owned by others is an assignment too.
            let importer = try harness.token(tenant: tenant.id, permissions: ["crm.data.import", "crm.company.create", "crm.company.read"], user: rep)
            let foreign = try await harness.send(
                .post, "/v1/imports/companies", token: importer, body: "name,ownerId\nImported Co,\(colleague)\n", contentType: "text/csv")
            #expect(foreign.status == .forbidden)
            let own = try await harness.send(.post, "/v1/imports/companies", token: importer, body: "name,ownerId\nImported Co,\(rep)\n", contentType: "text/csv")
            #expect(own.status == .created, "\(own.text)")
            let companies = try await harness.send(.get, "/v1/companies?limit=200&q=Imported", token: tenant.token).decoded(Page<Owned>.self).items
            #expect(companies.map(\.ownerId) == [rep])
        }
    }

    @Test("an owner must be an active member: unknown and deactivated users are 422 everywhere an owner is named; the caller always qualifies")
    func ownersAreMembers() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let stranger = UserID.random()
            func expectNotMember(_ response: TestResponse, _ field: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(response.status.code == 422, "\(what): \(response.status) \(response.text)", sourceLocation: sourceLocation)
                #expect(response.problem?.errors?.contains { $0.field == field && $0.code == "not_a_member" } == true, "\(what): \(response.text)",
                        sourceLocation: sourceLocation)
            }
            for type in RecordType.allCases {
                expectNotMember(try await harness.send(.post, "/v1/\(type.plural)", token: tenant.token, json: Self.body(type, owner: stranger)), "ownerId", "\(type)")
                #expect(try await Self.count(harness, type, tenant) == 0)
                // The caller has no members row yet (auth's event has not arrived) and is accepted.
                let own = try await harness.send(.post, "/v1/\(type.plural)", token: tenant.token, json: Self.body(type, owner: tenant.user))
                #expect(own.status == .created, "\(type): \(own.text)")
                let record = try own.decoded(Owned.self)
                expectNotMember(try await Self.reassign(harness, type, record, to: stranger, token: tenant.token), "ownerId", "\(type) reassign")
                let unchanged = try await Self.fetch(harness, type, record.id, tenant)
                #expect(unchanged.ownerId == tenant.user && unchanged.version == record.version)
            }

            // Import: every row named by its number; nothing imported.
            let member = try await harness.member(tenant.id)
            let csv = "name,ownerId\nGood Co,\(member)\nBad Co,\(stranger)\n"
            let imported = try await harness.send(.post, "/v1/imports/companies", token: tenant.token, body: csv, contentType: "text/csv")
            #expect(imported.problemCode == "import_failed")
            #expect(imported.problem?.errors?.map(\.field) == ["rows.3.ownerId"])
            #expect(try await harness.send(.get, "/v1/companies?q=Good", token: tenant.token).decoded(Page<Owned>.self).items.isEmpty)

            // The round-robin rotation.
            expectNotMember(
                try await harness.send(.put, "/v1/lead-assignment", token: tenant.token, json: #"{"userIds":["\#(member)","\#(stranger)"]}"#), "userIds.1", "rotation")
            let rotation = try await harness.send(.get, "/v1/lead-assignment", token: tenant.token).decoded(LeadAssignmentController.Rotation.self)
            #expect(rotation.userIds.isEmpty)
            let withCaller = try await harness.send(.put, "/v1/lead-assignment", token: tenant.token, json: #"{"userIds":["\#(member)","\#(tenant.user)"]}"#)
            #expect(withCaller.status == .ok, "\(withCaller.text)")

            // Deactivated: refused; reactivated: accepted again.
            try await harness.deliver(harness.userEvent(tenant.id, member, EventType.Auth.userDeactivated, status: "deactivated"))
            let deactivated = try await harness.send(.post, "/v1/companies", token: tenant.token, json: Self.body(.company, owner: member))
            expectNotMember(deactivated, "ownerId", "deactivated")
            #expect(deactivated.problem?.errors?.first?.message == "This user was deactivated.")
            try await harness.deliver(harness.userEvent(tenant.id, member, EventType.Auth.userReactivated))
            let reactivated = try await harness.send(.post, "/v1/companies", token: tenant.token, json: Self.body(.company, owner: member))
            #expect(reactivated.status == .created, "\(reactivated.text)")
        }
    }

    @Test("round-robin skips members deactivated after they joined the rotation")
    func rotationSkipsDeactivated() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let alice = try await harness.member(tenant.id, name: "Alice"), bob = try await harness.member(tenant.id, name: "Bob")
            let carol = try await harness.member(tenant.id, name: "Carol")
            let put = try await harness.send(.put, "/v1/lead-assignment", token: tenant.token, json: #"{"userIds":["\#(alice)","\#(bob)","\#(carol)"]}"#)
            #expect(put.status == .ok)
            try await harness.deliver(harness.userEvent(tenant.id, bob, EventType.Auth.userDeactivated, status: "deactivated"))
            var owners: [UserID?] = []
            for index in 0..<4 {
                owners.append(try await harness.create("/v1/leads", tenant, json: #"{"lastName":"RR\#(index)","source":"web"}"#, as: LeadResponse.self).ownerId)
            }
            #expect(owners == [alice, carol, alice, carol])
            // The rotation itself still lists Bob (an admin sees whom to remove).
            let rotation = try await harness.send(.get, "/v1/lead-assignment", token: tenant.token).decoded(LeadAssignmentController.Rotation.self)
            #expect(rotation.userIds == [alice, bob, carol])
        }
    }

    @Test("the members projection ignores redelivered and overtaken events; GET /v1/members lists it per tenant")
    func projection() async throws {
        try await CRMHarness.run { harness in
            let tenant = try harness.tenant()
            let user = UserID.random()
            let start = Date()
            func state() async throws -> [MemberController.MemberResponse] {
                try await harness.send(.get, "/v1/members", token: tenant.viewerToken).decoded(Page<MemberController.MemberResponse>.self).items
            }
            let created = harness.userEvent(tenant.id, user, name: "Ann", at: start)
            let deactivated = harness.userEvent(tenant.id, user, EventType.Auth.userDeactivated, name: "Ann", status: "deactivated", at: start + 20)
            let renamed = harness.userEvent(tenant.id, user, EventType.Auth.userUpdated, name: "Ann Old", at: start + 10)
            // The deactivation arrives first, then the creation and an older rename: neither brings Ann back.
            #expect(try await harness.deliver(deactivated) == .handled)
            #expect(try await harness.deliver(created) == .handled)
            #expect(try await harness.deliver(renamed) == .handled)
            var members = try await state()
            #expect(members.map(\.id) == [user] && members.first?.status == .deactivated && members.first?.name == "Ann")
            // A redelivery is a no-op.
            #expect(try await harness.deliver(deactivated) == .duplicate)
            // A newer event applies.
            try await harness.deliver(harness.userEvent(tenant.id, user, EventType.Auth.userReactivated, name: "Ann Lee", at: start + 30))
            members = try await state()
            #expect(members.first?.status == .active && members.first?.name == "Ann Lee")
            #expect(members.first?.email == "\(user.description.prefix(8))@example.com")

            // organization.created makes the owner a member.
            let owner = UserID.random()
            let organization = OrganizationCreated(
                organizationId: tenant.id, name: "Org", slug: "org", ownerUserId: owner, ownerEmail: "owner@org.io", ownerName: "Zoe Owner",
                requestedPlan: "free", locale: "en")
            #expect(try await harness.deliver(EventEnvelope(type: EventType.Auth.organizationCreated, tenantID: tenant.id, aggregateID: tenant.id, data: organization)) == .handled)

            // Sorted by name, paginated, filtered by status.
            let first = try await harness.send(.get, "/v1/members?limit=1", token: tenant.viewerToken).decoded(Page<MemberController.MemberResponse>.self)
            #expect(first.items.map(\.name) == ["Ann Lee"])
            let cursor = try #require(first.nextCursor)
            let second = try await harness.send(.get, "/v1/members?limit=1&cursor=\(cursor.rawValue)", token: tenant.viewerToken)
                .decoded(Page<MemberController.MemberResponse>.self)
            #expect(second.items.map(\.id) == [owner] && second.nextCursor == nil)
            try await harness.deliver(harness.userEvent(tenant.id, user, EventType.Auth.userDeactivated, name: "Ann Lee", status: "deactivated", at: start + 40))
            let active = try await harness.send(.get, "/v1/members?status=active", token: tenant.viewerToken).decoded(Page<MemberController.MemberResponse>.self)
            #expect(active.items.map(\.email) == ["owner@org.io"])
            #expect(try await harness.send(.get, "/v1/members?status=gone", token: tenant.viewerToken).status.code == 422)

            // Any record read permission shows the list; another tenant sees none of it.
            let leadReader = try harness.token(tenant: tenant.id, permissions: ["crm.lead.read"])
            #expect(try await harness.send(.get, "/v1/members", token: leadReader).status == .ok)
            let pipelineReader = try harness.token(tenant: tenant.id, permissions: ["crm.pipeline.read"])
            #expect(try await harness.send(.get, "/v1/members", token: pipelineReader).status == .forbidden)
            let other = try harness.tenant()
            #expect(try await harness.send(.get, "/v1/members", token: other.viewerToken).decoded(Page<MemberController.MemberResponse>.self).items.isEmpty)
        }
    }
}
