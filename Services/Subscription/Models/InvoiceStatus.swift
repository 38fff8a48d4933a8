import Foundation

/// Where an invoice is. Only a draft can change; an open (issued) invoice can only be paid,
/// voided or written off (the database enforces this too).
enum InvoiceStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case open
    case paid
    case void
    case uncollectible
}
