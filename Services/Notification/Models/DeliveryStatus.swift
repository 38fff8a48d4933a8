/// queued → sending → sent, or → failed → retrying → sending … → dead after the last attempt.
enum DeliveryStatus: String, Codable, Sendable, CaseIterable {
    case queued
    case sending
    case sent
    /// The last attempt failed and no retry is scheduled yet (a transient state inside one pass).
    case failed
    case retrying
    case dead

    var isFinal: Bool { self == .sent || self == .dead }
}
