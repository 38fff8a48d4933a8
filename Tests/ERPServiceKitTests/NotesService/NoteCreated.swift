import ERPProtocol
import Foundation

/// Payload of the small test service's only event.
struct NoteCreated: Codable, Sendable, Equatable {
    let noteID: UUID
    let title: String

    static let type = try! EventType(service: .crm, aggregate: "test_note", verb: "created")
}
