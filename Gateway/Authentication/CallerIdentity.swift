/// Who a request acts for, as far as limits and logs need to know.
struct CallerIdentity: Sendable {
    /// The organization (tenant) id.
    let organization: String
    /// The token's subject (user or service account id).
    let subject: String
}
