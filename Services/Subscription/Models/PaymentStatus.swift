import Foundation

/// A charge attempt's state at the provider.
enum PaymentStatus: String, Codable, Sendable {
    case pending
    case succeeded
    case failed
}
