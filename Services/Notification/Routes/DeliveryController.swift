import ERPProtocol
import ERPServiceKit
import Foundation
import Hummingbird

/// Delivery tracking: the tenant's deliveries (filtered by status, channel, event type) and one
/// delivery with its attempt log.
struct DeliveryController {
    let dependencies: NotificationDependencies

    func addRoutes(to router: Router<ERPRequestContext>) {
        router.get("/v1/deliveries", use: list)
        router.get("/v1/deliveries/:id", use: show)
    }

    private struct DeliveryCursor: Codable {
        var createdAt: Date
        var id: UUID
    }

    @Sendable func list(_ request: Request, context: ERPRequestContext) async throws -> Page<DeliveryResponse> {
        let tenant = try context.require("notification.delivery.read").tenantID
        let query = request.uri.queryParameters
        let page = try PageRequest(queryLimit: query.get("limit"), queryCursor: query.get("cursor"))
        let after = try page.cursor?.decode(DeliveryCursor.self)
        var issues: [FieldIssue] = []
        let status = query.get("status").flatMap { $0.isEmpty ? nil : $0 }
        let channel = query.get("channel").flatMap { $0.isEmpty ? nil : $0 }
        if let status, DeliveryStatus(rawValue: status) == nil {
            issues.append(.invalid("status", message: "One of \(DeliveryStatus.allCases.map(\.rawValue).joined(separator: ", "))."))
        }
        if let channel, Channel(rawValue: channel) == nil {
            issues.append(.invalid("channel", message: "One of email, in_app, sms, webhook."))
        }
        guard issues.isEmpty else { throw ProblemDetails.validation(issues) }
        let eventType = query.get("eventType").flatMap { $0.isEmpty ? nil : $0 }
        let deliveries = try await dependencies.inTenant(tenant) {
            try await DeliveryRepository($0).list(
                limit: page.fetchLimit, after: after.map { ($0.createdAt, $0.id) }, status: status.flatMap(DeliveryStatus.init(rawValue:)),
                channel: channel.flatMap(Channel.init(rawValue:)), eventType: eventType
            )
        }
        return try Page(fetched: deliveries.map { DeliveryResponse($0) }, request: page) { DeliveryCursor(createdAt: $0.createdAt, id: $0.id) }
    }

    @Sendable func show(_ request: Request, context: ERPRequestContext) async throws -> DeliveryResponse {
        let tenant = try context.require("notification.delivery.read").tenantID
        let id = try request.uuidParameter("id", context: context)
        let found = try await dependencies.inTenant(tenant) { connection -> (Delivery, [DeliveryAttempt])? in
            let repository = DeliveryRepository(connection)
            guard let delivery = try await repository.find(id) else { return nil }
            return (delivery, try await repository.attempts(id))
        }
        guard let (delivery, attempts) = found else { throw ProblemDetails.notFound() }
        return DeliveryResponse(delivery, attempts: attempts)
    }
}
