import Foundation

/// A card stored at the payment provider: only its reference and what the provider tells us
/// for display. Card numbers never reach this service.
struct PaymentMethod: Sendable, Hashable {
    var id: UUID
    var providerReference: String
    var brand: String
    var last4: String
    var expMonth: Int
    var expYear: Int
    var isDefault: Bool
    var createdAt: Date
}
