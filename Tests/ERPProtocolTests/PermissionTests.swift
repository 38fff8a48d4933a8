import Foundation
import Testing

import ERPProtocol

@Suite("Permission and PermissionSet")
struct PermissionTests {
    @Test("parses service, resource and action")
    func parses() throws {
        // Through a variable: `Permission("literal")` would be the (trapping) string-literal initializer.
        let text = "finance.journal_entry.post"
        let permission = try Permission(text)
        #expect(permission.service == .finance)
        #expect(permission.resource == "journal_entry")
        #expect(permission.action == "post")
        #expect(!permission.isWildcard)
        #expect(Permission(rawValue: "crm.lead.*")?.isWildcard == true)
    }

    @Test(
        "rejects malformed permissions, gateway and wildcard services",
        arguments: [
            ("crm.lead", Permission.ValidationError.notThreeSegments), ("crm.lead.read.all", .notThreeSegments),
            ("*", .notThreeSegments), ("*.lead.read", .unknownService), ("gateway.route.read", .unknownService),
            ("billing.invoice.read", .unknownService), ("crm.Lead.read", .invalidSegment),
            ("crm.lead.", .invalidSegment), ("crm.lead-x.read", .invalidSegment), ("crm.le*.read", .invalidSegment),
        ])
    func rejects(text: String, expected: Permission.ValidationError) {
        #expect(throws: expected) { try Permission(text) }
        #expect(Permission(rawValue: text) == nil)
    }

    @Test("exact grants only grant themselves")
    func exactGrants() {
        let set: PermissionSet = ["crm.lead.read"]
        #expect(set.contains("crm.lead.read"))
        #expect(!set.contains("crm.lead.update"))
        #expect(!set.contains("crm.contact.read"))
        #expect(!set.contains("hrm.lead.read"))
        #expect(!set.contains("crm.lead.*"))
    }

    @Test("wildcard grants for action, resource or both, within one service")
    func wildcardGrants() {
        let leads: PermissionSet = ["crm.lead.*"]
        #expect(leads.contains("crm.lead.read") && leads.contains("crm.lead.convert") && leads.contains("crm.lead.*"))
        #expect(!leads.contains("crm.contact.read"))
        #expect(!leads.contains("crm.*.*"))

        let readAll: PermissionSet = ["crm.*.read"]
        #expect(readAll.contains("crm.lead.read") && readAll.contains("crm.opportunity.read"))
        #expect(!readAll.contains("crm.lead.delete"))
        #expect(!readAll.contains("finance.invoice.read"))

        let crm: PermissionSet = ["crm.*.*"]
        #expect(crm.contains("crm.pipeline_stage.delete") && crm.contains("crm.lead.*"))
        #expect(!crm.contains("inventory.product.read"))
    }

    @Test("the owner grant * covers every permission; an empty set covers none")
    func ownerGrant() throws {
        #expect(PermissionSet.owner.contains("auth.role.manage"))
        #expect(PermissionSet.owner.contains(.financeJournalPost))
        #expect(try PermissionSet(grants: ["*"]) == .owner)
        #expect(!PermissionSet().contains("crm.lead.read"))
        #expect(PermissionSet().isEmpty)
        #expect(PermissionSet().union(.owner).grantsEverything)
        #expect(([.crmLeadRead] as PermissionSet).containsAll([.crmLeadRead]))
        #expect(!([.crmLeadRead] as PermissionSet).containsAll([.crmLeadRead, .crmLeadConvert]))
    }

    @Test("encodes as a sorted array of strings and validates when decoding")
    func codable() throws {
        let set = PermissionSet(["hrm.leave.approve", "crm.lead.read"], grantsEverything: true)
        let json = String(decoding: try ERPJSON.encode(set), as: UTF8.self)
        #expect(json == #"["*","crm.lead.read","hrm.leave.approve"]"#)
        #expect(try ERPJSON.decode(PermissionSet.self, from: Data(json.utf8)) == set)
        #expect(throws: DecodingError.self) { try ERPJSON.decode(PermissionSet.self, from: Data(#"["*.*.*"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try ERPJSON.decode(PermissionSet.self, from: Data(#"["crm.lead"]"#.utf8)) }
    }
}
