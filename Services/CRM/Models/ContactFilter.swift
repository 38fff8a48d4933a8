import Foundation

/// Contact list filters beyond the shared ones.
struct ContactFilter: Sendable, Equatable {
    /// Trimmed and lowercased, as emails are stored.
    var email: String?
    /// Contacts linked to this company (any role).
    var companyID: UUID?
}
