import Foundation

/// An organization's billing details.
struct BillingSettings: Sendable, Hashable {
    /// Basis points (1900 = 19 %), applied to each invoice's subtotal.
    var taxRateBasisPoints: Int
    var taxLabel: String
    var billingEmail: String?
    /// The organization's customer at the payment provider, created on first use.
    var providerCustomerID: String?
    var version: Int

    static let none = BillingSettings(taxRateBasisPoints: 0, taxLabel: "Tax", billingEmail: nil, providerCustomerID: nil, version: 0)
}
