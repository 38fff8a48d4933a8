import ERPProtocol

/// Every permission of the suite, `<service>.<resource>.<action>`, with what it allows. Each
/// service checks these names on its routes; auth hands them out through roles. A service that
/// gains a permission adds it here in the same change.
enum PermissionCatalogue {
    struct Entry: Sendable, Hashable, Codable {
        var permission: Permission
        var description: String
    }

    /// Resources and their actions per service, from ARCHITECTURE.md §1.
    private static let table: [(ServiceName, [(resource: String, actions: [String], what: String)])] = [
        (.auth, [
            ("organization", ["read", "manage", "delete"], "the organization's profile and settings"),
            ("user", ["read", "invite", "update", "deactivate"], "the organization's users"),
            ("role", ["read", "manage", "assign"], "roles and their assignment"),
            ("service_account", ["read", "manage", "rotate"], "service accounts (machine clients)"),
            ("api_key", ["read", "manage", "revoke"], "integration API keys"),
            ("session", ["read", "revoke"], "other users' login sessions"),
            ("audit", ["read"], "the security audit log"),
        ]),
        (.subscription, [
            ("plan", ["read", "manage"], "the catalog and the organization's plan"),
            ("subscription", ["read"], "the subscription's state"),
            ("usage", ["read"], "metered usage"),
            ("entitlement", ["read"], "plan features and limits"),
            ("invoice", ["read"], "billing invoices"),
            ("payment_method", ["read", "manage"], "payment method references"),
        ]),
        (.crm, [
            ("company", ["read", "create", "update", "delete", "assign"], "companies"),
            ("contact", ["read", "create", "update", "delete", "merge", "assign"], "contacts"),
            ("lead", ["read", "create", "update", "delete", "assign", "convert"], "leads"),
            ("opportunity", ["read", "create", "update", "delete", "assign"], "opportunities"),
            ("pipeline", ["read", "manage"], "pipelines and stages"),
            ("activity", ["read", "log", "update", "delete"], "calls, mails, meetings, notes and tasks"),
            ("custom_field", ["read", "manage"], "custom field definitions"),
            ("analytics", ["read"], "pipeline analytics and forecasts"),
            ("data", ["import", "export"], "CSV import and export"),
        ]),
        (.hrm, [
            ("employee", ["read", "create", "update", "terminate"], "employees"),
            ("department", ["read", "manage"], "departments"),
            ("position", ["read", "manage"], "positions"),
            ("leave", ["read", "request", "approve"], "leave requests"),
            ("leave_policy", ["read", "manage"], "leave types, policies and balances"),
            ("holiday", ["read", "manage"], "holiday calendars"),
            ("attendance", ["read", "record"], "attendance"),
            ("timesheet", ["read", "submit", "approve"], "timesheets"),
        ]),
        (.finance, [
            ("account", ["read", "manage"], "the chart of accounts"),
            ("journal", ["read", "create", "post"], "journal entries"),
            ("customer", ["read", "create", "update"], "customers"),
            ("supplier", ["read", "create", "update"], "suppliers"),
            ("invoice", ["read", "create", "issue", "void"], "invoices and bills"),
            ("payment", ["read", "record"], "payments"),
            ("tax", ["read", "manage"], "tax rates"),
            ("budget", ["read", "manage"], "budgets"),
            ("period", ["read", "close"], "fiscal periods"),
            ("report", ["read"], "financial reports"),
        ]),
        (.inventory, [
            ("product", ["read", "create", "update", "delete"], "products and variants"),
            ("category", ["read", "manage"], "product categories"),
            ("warehouse", ["read", "manage"], "warehouses"),
            ("stock", ["read", "move", "adjust"], "stock levels and movements"),
            ("valuation", ["read"], "stock valuation"),
            ("purchase_order", ["read", "create", "approve", "receive"], "purchase orders"),
            ("sales_order", ["read", "create", "confirm", "fulfill", "cancel"], "sales orders"),
        ]),
        (.project, [
            ("project", ["read", "create", "update", "delete"], "projects"),
            ("task", ["read", "create", "update", "assign", "delete"], "tasks and dependencies"),
            ("milestone", ["read", "manage"], "milestones"),
            ("time_entry", ["read", "record", "approve"], "time entries"),
            ("allocation", ["read", "manage"], "resource allocations"),
        ]),
        (.notification, [
            ("notification", ["read"], "one's own in-app notifications"),
            ("preference", ["read", "update"], "one's own notification preferences"),
            ("template", ["read", "manage"], "message templates"),
            ("rule", ["read", "manage"], "event rules and escalation"),
            ("delivery", ["read"], "delivery tracking"),
            ("webhook", ["read", "manage"], "webhook endpoints"),
        ]),
        (.file, [
            ("file", ["read", "upload", "delete"], "stored files"),
            ("share_link", ["read", "manage"], "share links"),
            ("document", ["generate"], "generated documents (PDF)"),
        ]),
        (.ai, [
            ("conversation", ["read", "chat"], "assistant conversations"),
            ("insight", ["read"], "scores, forecasts and anomalies"),
            ("action", ["run"], "actions the assistant carries out"),
            ("usage", ["read"], "LLM usage"),
        ]),
    ]

    /// The whole catalogue, sorted by name.
    static let all: [Entry] = table.flatMap { service, resources in
        resources.flatMap { resource in
            resource.actions.map { action in
                Entry(
                    permission: try! Permission(service: service, resource: resource.resource, action: action),
                    description: "\(action.replacingOccurrences(of: "_", with: " ").capitalized) \(resource.what)."
                )
            }
        }
    }.sorted { $0.permission < $1.permission }

    static let permissions: Set<Permission> = Set(all.map(\.permission))

    /// Whether `grant` names catalogue permissions: an exact entry, or a wildcard over a service
    /// or resource that exists. The owner grant `*` is never valid in a custom role.
    static func isKnown(_ grant: Permission) -> Bool {
        if !grant.isWildcard { return permissions.contains(grant) }
        return permissions.contains { grant.covers($0) }
    }

    /// The same grants written with wildcards where a role holds a whole service or resource,
    /// so tokens stay small. Only the catalogue is considered: `crm.*.*` means "all of CRM".
    static func compacted(_ granted: [Permission]) -> PermissionSet {
        let held = Set(granted)
        var result = PermissionSet()
        let byService = Dictionary(grouping: all.map(\.permission), by: \.service)
        for (service, servicePermissions) in byService {
            if servicePermissions.allSatisfy(held.contains) {
                result.insert(try! Permission(service: service, resource: "*", action: "*"))
                continue
            }
            for (resource, resourcePermissions) in Dictionary(grouping: servicePermissions, by: \.resource) {
                if resourcePermissions.allSatisfy(held.contains) {
                    result.insert(try! Permission(service: service, resource: resource, action: "*"))
                } else {
                    resourcePermissions.filter(held.contains).forEach { result.insert($0) }
                }
            }
        }
        return result
    }
}
