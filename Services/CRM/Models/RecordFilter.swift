import Foundation

/// The filters every record list (companies, contacts, leads, opportunities) shares, parsed and
/// validated from the query: `ownerId`, `tag`, `createdFrom`/`createdTo`, `updatedFrom`/`updatedTo`.
/// `From` bounds include their instant, `To` bounds exclude it.
struct RecordFilter: Sendable, Equatable {
    var ownerID: UUID?
    /// Trimmed and lowercased, as tags are stored.
    var tag: String?
    var createdFrom: Date?
    var createdTo: Date?
    var updatedFrom: Date?
    var updatedTo: Date?
}
