import ERPProtocol
import Foundation

/// A user of the organization as erp-auth last announced them: who may own CRM records.
struct Member: Sendable, Hashable {
    enum Status: String, Sendable, Hashable, Codable {
        case active
        case deactivated
    }

    var userID: UserID
    var name: String
    var email: String
    var status: Status
    /// When auth made the change this row reflects (the event's time); an event older than
    /// this one never overwrites it.
    var updatedAt: Date
}
