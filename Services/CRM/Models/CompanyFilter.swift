/// Company list filters beyond the shared ones.
struct CompanyFilter: Sendable, Equatable {
    /// Compared ignoring case; held lowercased.
    var industry: String?
    /// Normalized as stored (`Normalize.domain`).
    var domain: String?
}
