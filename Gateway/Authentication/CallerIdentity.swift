/// Who a request acts for, as far as limits and logs need to know. Built once per verified
/// token (kept in the loop's token cache), so the per-request path formats no ids or keys.
struct CallerIdentity: Sendable {
    /// The organization (tenant) id.
    let organization: String
    /// The token's subject (user or service account id).
    let subject: String
    /// The rate-limit keys of the organization and of the subject.
    let organizationLimitKey: String
    let subjectLimitKey: String

    init(organization: String, subject: String, keyPrefix: String) {
        self.organization = organization
        self.subject = subject
        self.organizationLimitKey = "\(keyPrefix):org:\(organization)"
        self.subjectLimitKey = "\(keyPrefix):user:\(subject)"
    }
}
