import ERPProtocol

/// The CRM permissions (auth's catalogue, `Services/Auth/Models/PermissionCatalogue.swift`).
/// Built-in roles: Viewer reads; User also creates, updates, logs and exports; Manager also
/// assigns (gives records to other owners), converts, merges and imports; Admin and Owner also
/// delete and manage.
enum CRMPermission {
    static let companyRead: Permission = "crm.company.read"
    static let companyCreate: Permission = "crm.company.create"
    static let companyUpdate: Permission = "crm.company.update"
    static let companyDelete: Permission = "crm.company.delete"
    static let companyAssign: Permission = "crm.company.assign"
    static let contactRead: Permission = "crm.contact.read"
    static let contactCreate: Permission = "crm.contact.create"
    static let contactUpdate: Permission = "crm.contact.update"
    static let contactDelete: Permission = "crm.contact.delete"
    static let contactMerge: Permission = "crm.contact.merge"
    static let contactAssign: Permission = "crm.contact.assign"
    static let leadRead: Permission = "crm.lead.read"
    static let leadCreate: Permission = "crm.lead.create"
    static let leadUpdate: Permission = "crm.lead.update"
    static let leadDelete: Permission = "crm.lead.delete"
    static let leadAssign: Permission = "crm.lead.assign"
    static let leadConvert: Permission = "crm.lead.convert"
    static let opportunityRead: Permission = "crm.opportunity.read"
    static let opportunityCreate: Permission = "crm.opportunity.create"
    static let opportunityUpdate: Permission = "crm.opportunity.update"
    static let opportunityDelete: Permission = "crm.opportunity.delete"
    static let opportunityAssign: Permission = "crm.opportunity.assign"
    static let pipelineRead: Permission = "crm.pipeline.read"
    static let pipelineManage: Permission = "crm.pipeline.manage"
    static let activityRead: Permission = "crm.activity.read"
    static let activityLog: Permission = "crm.activity.log"
    static let activityUpdate: Permission = "crm.activity.update"
    static let activityDelete: Permission = "crm.activity.delete"
    static let customFieldRead: Permission = "crm.custom_field.read"
    static let customFieldManage: Permission = "crm.custom_field.manage"
    static let analyticsRead: Permission = "crm.analytics.read"
    static let dataImport: Permission = "crm.data.import"
    static let dataExport: Permission = "crm.data.export"

    /// The read permission of a record type.
    static func read(_ type: RecordType) -> Permission {
        switch type {
        case .company: companyRead
        case .contact: contactRead
        case .lead: leadRead
        case .opportunity: opportunityRead
        }
    }

    /// The create permission of a record type.
    static func create(_ type: RecordType) -> Permission {
        switch type {
        case .company: companyCreate
        case .contact: contactCreate
        case .lead: leadCreate
        case .opportunity: opportunityCreate
        }
    }

    /// The permission to give a record of `type` to another owner (see `OwnerRule`).
    static func assign(_ type: RecordType) -> Permission {
        switch type {
        case .company: companyAssign
        case .contact: contactAssign
        case .lead: leadAssign
        case .opportunity: opportunityAssign
        }
    }
}
