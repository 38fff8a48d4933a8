import ERPPostgres
import ERPProtocol
import Foundation

/// The steps the company, contact, lead and opportunity workflows take the same way: find the
/// live record under a row lock, save it as its next version (refused when someone else saved
/// first), publish an edit, move it to the trash and back, merge a duplicate into it.
protocol RecordWorkflow {
    associatedtype Record: CRMRecord
    associatedtype Payload: Codable & Sendable

    var tx: CRMTransaction { get }
    static var recordType: RecordType { get }
    static var updatedEvent: EventType { get }
    static var deletedEvent: EventType { get }

    /// The record, live or in the trash, locked for the rest of the transaction.
    func find(_ id: UUID) async throws -> Record?
    /// Writes `record` unless the stored one moved past `expectedVersion`; false then.
    func store(_ record: Record, expectedVersion: Int64) async throws -> Bool
    /// The payload of the record's events.
    func payload(_ record: Record) async throws -> Payload
}

extension RecordWorkflow {
    /// The live record, locked; 404 when missing or deleted, or a validation issue on `field`
    /// when the id came in the request body.
    func live(_ id: UUID, field: String? = nil) async throws -> Record {
        guard let record = try await find(id), record.deletedAt == nil else {
            if let field { throw ProblemDetails.validation([.invalid(field, message: "No such \(Self.recordType.rawValue).")]) }
            throw ProblemDetails.notFound()
        }
        return record
    }

    /// The live record, which must be at `expectedVersion` when one is given (`If-Match`).
    func live(_ id: UUID, expectedVersion: Int64?) async throws -> Record {
        let record = try await live(id)
        if let expectedVersion, expectedVersion != record.version { throw CRMError.versionMismatch }
        return record
    }

    /// Saves `record` as the version after the one it was read at.
    func saveNext(_ record: inout Record) async throws {
        let read = record.version
        record.touch(at: tx.now)
        guard try await store(record, expectedVersion: read) else { throw CRMError.versionMismatch }
    }

    /// Publishes an edit, naming the changed members on the record's timeline.
    func publishEdit(_ record: Record, changed: [String]) async throws {
        try await tx.publish(
            Self.updatedEvent, subject: record.id, try await payload(record),
            timeline: [.init(recordType: Self.recordType, recordID: record.id, summary: "Updated \(changed.isEmpty ? "nothing" : changed.joined(separator: ", "))")])
    }

    /// Moves the live record to the trash.
    func delete(_ id: UUID, expectedVersion: Int64?) async throws {
        var record = try await live(id, expectedVersion: expectedVersion)
        record.deletedAt = tx.now
        try await saveNext(&record)
        try await tx.publish(
            Self.deletedEvent, subject: id, try await payload(record),
            timeline: [.init(recordType: Self.recordType, recordID: id, summary: "\(Self.recordType.rawValue.capitalized) moved to the trash")])
    }
}

extension RecordWorkflow where Record: MergeableRecord {
    /// Brings a deleted record back; `stillUnique` refuses when a live record took its unique
    /// key (domain, email) meanwhile. A merged record stays merged.
    func restore(_ id: UUID, event: EventType, stillUnique: (Record) async throws -> Void) async throws -> Record {
        guard var record = try await find(id) else { throw ProblemDetails.notFound() }
        guard record.mergedInto == nil else { throw CRMError.mergedRecord }
        guard record.deletedAt != nil else { throw CRMError.notDeleted }
        try await stillUnique(record)
        record.deletedAt = nil
        try await saveNext(&record)
        try await tx.publish(
            event, subject: id, try await payload(record),
            timeline: [.init(recordType: Self.recordType, recordID: id, summary: "\(Self.recordType.rawValue.capitalized) restored from the trash")])
        return record
    }

    /// Folds `duplicateID` into the live record `id`: the duplicate goes to the trash pointing at
    /// the survivor first (freeing its unique key), `fill` copies what the survivor lacks, the
    /// common fields are united (`absorb`), `moveLinks` moves the type's own links, and
    /// activities, opportunities and timeline entries follow. `name` titles the timeline notes.
    func merge(
        _ id: UUID, duplicateID: UUID, expectedVersion: Int64, event: EventType, name: (Record) -> String,
        fill: (inout Record, Record) -> Void, moveLinks: () async throws -> Void
    ) async throws -> Record {
        guard id != duplicateID else { throw CRMError.selfMerge }
        var survivor = try await live(id, expectedVersion: expectedVersion)
        var duplicate = try await live(duplicateID, field: "duplicateId")
        duplicate.deletedAt = tx.now
        duplicate.mergedInto = id
        try await saveNext(&duplicate)

        fill(&survivor, duplicate)
        survivor.absorb(duplicate)
        try await saveNext(&survivor)

        try await moveLinks()
        try await RecordReferences(tx.connection).move(Self.recordType, from: duplicateID, to: id)
        try await TimelineRepository(tx.connection).move(Self.recordType, from: duplicateID, to: id)
        let type = Self.recordType.rawValue
        try await tx.publish(
            event, subject: id, RecordMerged(recordType: type, survivorId: id, mergedId: duplicateID, version: survivor.version),
            timeline: [
                .init(recordType: Self.recordType, recordID: id, summary: "Merged \(name(duplicate)) into this \(type)"),
                .init(recordType: Self.recordType, recordID: duplicateID, summary: "Merged into \(name(survivor))"),
            ])
        return survivor
    }
}
