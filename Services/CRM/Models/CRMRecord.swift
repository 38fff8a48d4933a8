import ERPProtocol
import Foundation

/// What companies, contacts, leads and opportunities have in common: an id, an optimistic
/// `version`, a trash (`deletedAt`), an owner, a description, tags and custom field values.
protocol CRMRecord: Sendable {
    var id: UUID { get }
    var version: Int64 { get set }
    var updatedAt: Date { get set }
    var deletedAt: Date? { get set }
    var ownerID: UserID? { get set }
    var description: String { get set }
    var tags: [String] { get set }
    var customFields: [String: JSONValue] { get set }
}

/// A record that can be merged into another (its duplicate stays in the trash pointing at it).
protocol MergeableRecord: CRMRecord {
    var mergedInto: UUID? { get set }
}

extension CRMRecord {
    /// Marks a change made at `now`: the record becomes its next version.
    mutating func touch(at now: Date) {
        version += 1
        updatedAt = now
    }
}

extension MergeableRecord {
    /// What every merge takes from the duplicate: its owner, description and custom field values
    /// where the survivor has none, and all its tags.
    mutating func absorb(_ duplicate: Self) {
        ownerID = ownerID ?? duplicate.ownerID
        if description.isEmpty { description = duplicate.description }
        tags = Array(Set(tags).union(duplicate.tags)).sorted()
        customFields = duplicate.customFields.merging(customFields) { _, kept in kept }
    }
}

extension Company: MergeableRecord {}
extension Contact: MergeableRecord {}
extension Lead: CRMRecord {}
extension Opportunity: CRMRecord {}
