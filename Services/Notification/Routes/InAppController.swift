import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// The caller's in-app notifications: list (newest first), unread count, mark read.
struct InAppController {
    let dependencies: NotificationDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/notifications", use: list)
        router.get("/v1/notifications/unread-count", use: unreadCount)
        router.post("/v1/notifications/read-all", use: readAll)
        router.post("/v1/notifications/:id/read", use: read)
    }

    private struct SequenceCursor: Codable {
        var sequence: Int64
    }

    struct Count: ResponseCodable {
        var unread: Int
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<InAppNotification> {
        let identity = try context.require("notification.notification.read")
        let user = try PreferenceController.user(identity)
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let before = try page.cursor?.decode(SequenceCursor.self)
        let unreadOnly = query.get("unread") == "true"
        let items = try await dependencies.inTenant(identity.tenantID) {
            try await InAppRepository($0).list(user: user, before: before?.sequence, unreadOnly: unreadOnly, limit: page.fetchLimit)
        }
        return try Page(fetched: items, request: page) { SequenceCursor(sequence: $0.sequence) }
    }

    @Sendable func unreadCount(_ request: Request, context: ERPRequestContext) async throws -> Count {
        let identity = try context.require("notification.notification.read")
        let user = try PreferenceController.user(identity)
        return Count(unread: try await dependencies.inTenant(identity.tenantID) { try await InAppRepository($0).unreadCount(user: user) })
    }

    @Sendable func read(_ request: Request, context: ERPRequestContext) async throws -> HTTPResponse.Status {
        let identity = try context.require("notification.notification.read")
        let user = try PreferenceController.user(identity)
        let id = try request.uuidParameter("id", context: context)
        let now = dependencies.clock.now()
        let found = try await dependencies.inTenant(identity.tenantID) { connection -> Bool in
            let repository = InAppRepository(connection)
            guard try await repository.exists(user: user, id: id) else { return false }
            _ = try await repository.markRead(user: user, id: id, at: now)
            return true
        }
        guard found else { throw ProblemDetails.notFound() }
        return .noContent
    }

    @Sendable func readAll(_ request: Request, context: ERPRequestContext) async throws -> Count {
        let identity = try context.require("notification.notification.read")
        let user = try PreferenceController.user(identity)
        let now = dependencies.clock.now()
        _ = try await dependencies.inTenant(identity.tenantID) { try await InAppRepository($0).markRead(user: user, id: nil, at: now) }
        return Count(unread: 0)
    }
}
