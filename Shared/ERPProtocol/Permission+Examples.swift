// A few permissions shared by more than one component (auth's built-in roles, the gateway's
// docs, tests). Each service declares the rest next to its routes; the full catalogue with
// the built-in role mapping lives with auth.
//
// Action vocabulary: `read`, `create`, `update`, `delete` for plain CRUD; a domain verb
// (`approve`, `convert`, `post`) where the business has one; `manage` for administration.

extension Permission {
    /// Auth: read users of the organization.
    public static let authUserRead: Permission = "auth.user.read"
    /// Auth: invite users.
    public static let authUserInvite: Permission = "auth.user.invite"
    /// Auth: create, edit and assign roles.
    public static let authRoleManage: Permission = "auth.role.manage"
    /// Subscription: change the organization's plan.
    public static let subscriptionPlanManage: Permission = "subscription.plan.manage"
    /// CRM: read leads.
    public static let crmLeadRead: Permission = "crm.lead.read"
    /// CRM: convert a lead to an opportunity.
    public static let crmLeadConvert: Permission = "crm.lead.convert"
    /// HRM: approve leave requests.
    public static let hrmLeaveApprove: Permission = "hrm.leave.approve"
    /// Finance: post journal entries.
    public static let financeJournalPost: Permission = "finance.journal.post"
}
