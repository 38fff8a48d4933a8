/// queued → sending → sent; sending → retrying → sending … → dead when the attempts are used up;
/// sending → failed when the target refused it for good (no retry could help).
enum DeliveryStatus: String, Codable, Sendable, CaseIterable {
    case queued
    case sending
    case sent
    /// Refused for good (a bad address, rejected credentials, a forbidden webhook target): not retried.
    case failed
    case retrying
    /// Every attempt failed.
    case dead

    var isFinal: Bool { self == .sent || self == .failed || self == .dead }
}
