import ERPKafka
import ERPProtocol
import ERPServiceKit
import Foundation
import Logging
import ServiceLifecycle

/// Reads erp-subscription's events and hands each `entitlements.changed` to the plan table, so
/// plan changes reach the edge within moments rather than after `GATEWAY_ENTITLEMENTS_TTL`.
///
/// Every gateway replica must see every change: each process joins a consumer group of its own
/// (nothing to commit — the table is memory) and starts at the newest events; anything missed
/// while it was down is covered by the TTL refresh. A broker outage only delays updates.
final class EntitlementChangeListener: Service {
    private let limits: PlanOrganizationLimits
    private let consumer: KafkaConsumer
    private let logger: Logger

    init(limits: PlanOrganizationLimits, bootstrapServers: String, topic: String, logger: Logger) throws {
        self.limits = limits
        self.logger = logger
        let member = "erp-gateway-\(ProcessInfo.processInfo.hostName)-\(UUID().uuidString.prefix(8).lowercased())"
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                bootstrapServers: bootstrapServers, groupID: member, topics: [topic], clientID: member, autoOffsetReset: .latest,
                // Offsets are never acknowledged; librdkafka's own auto-commit would only add traffic.
                extra: ["enable.auto.commit": "false"]),
            logger: logger)
    }

    func run() async throws {
        try await withGracefulShutdownHandler {
            do {
                for try await message in consumer.messages {
                    handle(message)
                }
            } catch {
                logger.error("entitlement change stream failed; plans refresh on their TTL only",
                             metadata: [LogMetadataKey.error: .string(String(describing: error))])
            }
        } onGracefulShutdown: {
            Task { await self.consumer.shutdown() }
        }
    }

    private func handle(_ message: KafkaMessage) {
        let data = Data(message.value)
        guard let header = try? ERPJSON.decode(EventEnvelopeHeader.self, from: data),
            header.type == EventType.Subscription.entitlementsChanged
        else { return }
        do {
            limits.apply(try ERPJSON.decode(EventEnvelope<OrganizationEntitlements>.self, from: data).data)
        } catch {
            logger.warning("unreadable entitlements.changed event", metadata: ["erp.event.id": .string(header.id.description)])
        }
    }
}
