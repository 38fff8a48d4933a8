import Foundation

/// A person to notify: a user auth told us about, or just an address an event names.
struct Recipient: Sendable, Equatable {
    var userID: UUID?
    var email: String
    var name: String
    var locale: String
}
