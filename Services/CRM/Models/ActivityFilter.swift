import Foundation

/// Activity list filters: the record they are on, kind, owner, done, and due dates
/// (`dueAfter` includes its instant, `dueBefore` excludes it).
struct ActivityFilter: Sendable, Equatable {
    var recordType: RecordType?
    var recordID: UUID?
    var kind: ActivityKind?
    var ownerID: UUID?
    var done: Bool?
    var dueBefore: Date?
    var dueAfter: Date?
}
