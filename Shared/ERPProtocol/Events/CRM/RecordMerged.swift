import Foundation

/// The payload of `erp.crm.contact.merged` and `erp.crm.company.merged`: `mergedId` was folded
/// into `survivorId` (its links, activities, opportunities and timeline now belong to the
/// survivor) and is kept only as a soft-deleted record pointing at the survivor. Consumers that
/// hold `mergedId` should re-point it.
public struct RecordMerged: Codable, Sendable, Hashable {
    /// `contact` or `company`.
    public var recordType: String
    public var survivorId: UUID
    public var mergedId: UUID
    /// The survivor's version after the merge.
    public var version: Int64

    public init(recordType: String, survivorId: UUID, mergedId: UUID, version: Int64) {
        self.recordType = recordType
        self.survivorId = survivorId
        self.mergedId = mergedId
        self.version = version
    }
}
