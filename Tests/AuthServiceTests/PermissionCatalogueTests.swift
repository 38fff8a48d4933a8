import ERPProtocol
import Testing

@testable import AuthService

@Suite("Auth: permission catalogue and built-in roles")
struct PermissionCatalogueTests {
    @Test("every service that owns data has permissions, and every entry is a valid name")
    func catalogue() {
        let services = Set(PermissionCatalogue.all.map(\.permission.service))
        #expect(services == Set(ServiceName.allCases.filter { $0 != .gateway }))
        #expect(PermissionCatalogue.all.count == Set(PermissionCatalogue.all.map(\.permission)).count)
    }

    @Test("built-in roles nest: Owner ⊇ Admin ⊇ Manager ⊇ User ⊇ Viewer; only Owner manages the plan")
    func roles() {
        let catalogue = PermissionCatalogue.all.map(\.permission)
        func held(_ role: BuiltInRole) -> Set<Permission> { Set(catalogue.filter(role.permissions.contains)) }
        #expect(held(.owner).count == catalogue.count)
        #expect(held(.admin).isSuperset(of: held(.manager)))
        #expect(held(.manager).isSuperset(of: held(.user)))
        #expect(held(.user).isSuperset(of: held(.viewer)))
        #expect(!BuiltInRole.admin.permissions.contains("subscription.plan.manage"))
        #expect(BuiltInRole.viewer.permissions.contains("crm.lead.read") && !BuiltInRole.viewer.permissions.contains("crm.lead.create"))
        #expect(!BuiltInRole.user.permissions.contains("hrm.leave.approve") && BuiltInRole.manager.permissions.contains("hrm.leave.approve"))
        #expect(BuiltInRole.admin.permissions.grants.contains("crm.*.*"))
    }

    @Test("giving a CRM record to another owner (assign) is a Manager's right, not a User's")
    func crmAssign() throws {
        let catalogue = Set(PermissionCatalogue.all.map(\.permission))
        for resource in ["company", "contact", "lead", "opportunity"] {
            let assign = try #require(Permission(rawValue: "crm.\(resource).assign"))
            #expect(catalogue.contains(assign), "\(assign) is not in the catalogue")
            for role in [BuiltInRole.owner, .admin, .manager] {
                #expect(role.permissions.contains(assign), "\(role.name) lacks \(assign)")
            }
            for role in [BuiltInRole.user, .viewer] {
                #expect(!role.permissions.contains(assign), "\(role.name) holds \(assign)")
            }
            #expect(BuiltInRole.user.permissions.contains(try #require(Permission(rawValue: "crm.\(resource).update"))))
        }
    }

    @Test("common passwords are caught with the usual decorations")
    func commonPasswords() {
        #expect(CommonPasswords.contains("password"))
        #expect(CommonPasswords.contains("Password123!"))
        #expect(CommonPasswords.contains("!!Dragon2024"))
        #expect(!CommonPasswords.contains("Tangerine-Violin-7781-Quartz"))
    }
}
