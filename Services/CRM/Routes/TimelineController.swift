import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// `GET /v1/{companies|contacts|leads|opportunities}/{id}/timeline`: one chronological list per
/// record, newest first, of its activities, its own events and other services' events about it.
struct TimelineController {
    let dependencies: CRMDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        for type in RecordType.allCases {
            router.get("/v1/\(type.plural)/:id/timeline") { request, context in try await timeline(type, request, context) }
        }
    }

    struct Item: Codable, Sendable {
        struct Event: Codable, Sendable {
            /// The producing service (`crm`, `finance`, …).
            var source: String
            var eventType: String
            @LowercaseUUID var eventId: UUID
            var actor: String?
            var data: JSONValue
        }

        @LowercaseUUID var id: UUID
        /// `activity` or `event`.
        var type: String
        var occurredAt: Date
        var summary: String
        var activity: ActivityController.ActivityResponse?
        var event: Event?
    }

    struct TimelineCursor: Codable {
        var occurredAt: Date
        @LowercaseUUID var id: UUID
    }

    func timeline(_ type: RecordType, _ request: Request, _ context: ERPRequestContext) async throws -> Page<Item> {
        let tenant = try context.require(CRMPermission.read(type)).tenantID
        try context.require(CRMPermission.activityRead)
        let id = try request.uuidParameter("id", context: context)
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let after = try page.cursor?.decode(TimelineCursor.self)
        let items = try await dependencies.read(tenant) { tx -> [TimelineRepository.Item] in
            guard try await RecordExistence(tx.connection).deletedAt(type, id) != nil else { throw ProblemDetails.notFound() }
            return try await TimelineRepository(tx.connection).page(type, id, after: after.map { ($0.occurredAt, $0.id) }, limit: page.fetchLimit)
        }
        let mapped = items.map { item -> Item in
            switch item {
            case .activity(let activity):
                return Item(
                    id: activity.id, type: "activity", occurredAt: activity.occurredAt, summary: "\(activity.kind.rawValue.capitalized): \(activity.subject)",
                    activity: ActivityController.ActivityResponse(activity), event: nil)
            case .entry(let entry):
                return Item(
                    id: entry.id, type: "event", occurredAt: entry.occurredAt, summary: entry.summary, activity: nil,
                    event: .init(source: entry.source, eventType: entry.eventType, eventId: entry.eventID, actor: entry.actor, data: entry.data))
            }
        }
        return try Page(fetched: mapped, request: page) { TimelineCursor(occurredAt: $0.occurredAt, id: $0.id) }
    }
}
