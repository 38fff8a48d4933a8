import Foundation

/// The payload of `erp.file.file.uploaded` and `erp.file.file.deleted`: the file and, so that
/// metering never drifts on a lost or doubled delta, the organization's stored bytes after the
/// change. Subscription meters storage from it.
public struct FileStorageChanged: Codable, Sendable, Hashable {
    public var fileId: FileID
    public var name: String
    public var sizeBytes: Int64
    /// Every stored byte of the organization once this change is applied.
    public var organizationStorageBytes: Int64

    public init(fileId: FileID, name: String, sizeBytes: Int64, organizationStorageBytes: Int64) {
        self.fileId = fileId
        self.name = name
        self.sizeBytes = sizeBytes
        self.organizationStorageBytes = organizationStorageBytes
    }
}
