import ERPProtocol
import Foundation

/// An organization: the tenant every other record belongs to.
struct Organization: Sendable, Hashable, Codable {
    var id: TenantID
    var name: String
    var slug: String
    var locale: String
    var timezone: String
    /// Raises the suite's password minimum for this organization's users.
    var passwordMinLength: Int?
    var version: Int
    var createdAt: Date
    var updatedAt: Date
}
