import ERPPostgres
import ERPProtocol
import ERPServiceKit
import Foundation
import Logging

/// Makes one attempt of one delivery: claims it (sending, attempts + 1) in one transaction,
/// sends outside any transaction, records the attempt and the new state in another. A crash
/// between the two leaves the row `sending` with its scheduler lease, so it is tried again.
struct DeliveryWorker {
    let dependencies: NotificationDependencies

    func process(tenant: TenantID, delivery id: UUID) async throws {
        let now = dependencies.clock.now()
        guard let delivery = try await claim(tenant: tenant, id: id, now: now) else { return }
        if delivery.digest && delivery.channel == .email {
            try await sendDigest(delivery, tenant: tenant, now: now)
            return
        }
        let started = Date()
        var endpoint: WebhookEndpoint?
        let outcome: ChannelOutcome
        switch delivery.channel {
        case .email:
            outcome = await dependencies.email.send(delivery, recipientName: nil)
        case .inApp:
            outcome = try await storeInApp(delivery, now: now)
        case .sms:
            if let sms = dependencies.sms {
                outcome = await sms.send(to: delivery.target, body: delivery.message.text)
            } else {
                outcome = .failed("no SMS provider configured (SMS_API_URL)")
            }
        case .webhook:
            endpoint = try await delivery.webhookEndpointID.asyncMap { id in
                try await dependencies.inTenant(tenant) { connection -> WebhookEndpoint? in
                    let webhooks = WebhookRepository(connection)
                    guard var found = try await webhooks.find(id) else { return nil }
                    // Sealed under a previous key of a rotation: store it under the current one.
                    if let resealed = found.resealedSecret(with: dependencies.secrets) {
                        try await webhooks.storeSealedSecret(id, resealed)
                        found.sealedSecret = resealed
                    }
                    return found
                }
            } ?? nil
            if let endpoint, endpoint.enabled {
                let body = try ERPJSON.encode(delivery.payload ?? .null)
                outcome = await dependencies.webhooks.send(delivery, endpoint: endpoint, body: [UInt8](body), now: dependencies.clock.now())
            } else {
                outcome = .failed("webhook endpoint disabled or deleted", permanent: true)
            }
        }
        let attempt = DeliveryAttempt(
            attempt: delivery.attempts, startedAt: now, durationMs: Int(Date().timeIntervalSince(started) * 1000), succeeded: outcome.succeeded,
            statusCode: outcome.statusCode, error: outcome.error
        )
        try await record(outcome, attempt: attempt, delivery: delivery, endpoint: endpoint)
        if outcome.succeeded, delivery.channel == .inApp, let user = delivery.userID {
            dependencies.hub.signal(tenant: tenant.uuid, user: user)
        }
    }

    /// A digest mail: this delivery and the recipient's other due digest mails, claimed together
    /// and sent as one message; each delivery records the same outcome (and retries together).
    private func sendDigest(_ first: Delivery, tenant: TenantID, now: Date) async throws {
        let companions = try await dependencies.inTenant(tenant) { connection in
            let deliveries = DeliveryRepository(connection)
            var claimed: [Delivery] = []
            for var companion in try await deliveries.dueDigestCompanions(of: first.id, target: first.target, now: now) {
                try await deliveries.markSending(companion.id)
                companion.attempts += 1
                companion.status = .sending
                claimed.append(companion)
            }
            return claimed
        }
        let all = [first] + companions
        var combined = first
        combined.message = DigestMessage.compose(all.map(\.message))
        let started = Date()
        let outcome = await dependencies.email.send(combined, recipientName: nil)
        let duration = Int(Date().timeIntervalSince(started) * 1000)
        // One retry time for all (the backoff has jitter), so they are due together again.
        let configuration = dependencies.configuration
        let retryAt = dependencies.clock.now().addingTimeInterval(
            configuration.retryPolicy.delay(afterAttempt: first.attempts).timeInterval)
        for delivery in all {
            let attempt = DeliveryAttempt(
                attempt: delivery.attempts, startedAt: now, durationMs: duration, succeeded: outcome.succeeded, statusCode: outcome.statusCode,
                error: outcome.error)
            // Only the first goes back on the scheduler's list for a retry; it gathers the others again.
            try await record(outcome, attempt: attempt, delivery: delivery, endpoint: nil, retryAt: retryAt, schedulesRetry: delivery.id == first.id)
        }
    }

    /// The delivery with its attempt counted, or nil when there is nothing to do (already final,
    /// deleted, or not due yet at the clock's now).
    private func claim(tenant: TenantID, id: UUID, now: Date) async throws -> Delivery? {
        try await dependencies.inTenant(tenant) { connection in
            let deliveries = DeliveryRepository(connection)
            let due = DueWorkRepository(connection)
            guard var delivery = try await deliveries.find(id, lock: true), !delivery.status.isFinal else {
                try await due.remove(.delivery, item: id)
                return nil
            }
            // Postgres keeps microseconds; a time read back may round above the Date it was written from.
            if let next = delivery.nextAttemptAt, next > now.addingTimeInterval(0.001) {
                try await due.schedule(.delivery, tenant: tenant, item: id, at: next)
                return nil
            }
            try await deliveries.markSending(id)
            delivery.attempts += 1
            delivery.status = .sending
            return delivery
        }
    }

    private func storeInApp(_ delivery: Delivery, now: Date) async throws -> ChannelOutcome {
        guard let user = delivery.userID else { return .failed("in-app delivery without a user", permanent: true) }
        _ = try await dependencies.inTenant(delivery.tenantID) { try await InAppRepository($0).insert(tenant: delivery.tenantID, user: user, delivery: delivery, at: now) }
        return .sent()
    }

    private func record(
        _ outcome: ChannelOutcome, attempt: DeliveryAttempt, delivery: Delivery, endpoint: WebhookEndpoint?, retryAt: Date? = nil,
        schedulesRetry: Bool = true
    ) async throws {
        let configuration = dependencies.configuration
        let now = dependencies.clock.now()
        let tenant = delivery.tenantID
        try await dependencies.inTenant(tenant) { connection in
            let deliveries = DeliveryRepository(connection)
            let due = DueWorkRepository(connection)
            try await deliveries.recordAttempt(attempt, delivery: delivery.id, tenant: tenant)
            if outcome.succeeded {
                try await deliveries.finish(delivery.id, status: .sent, at: now, nextAttemptAt: nil, error: nil, providerReference: outcome.providerReference)
                try await due.remove(.delivery, item: delivery.id)
                if let endpoint { try await WebhookRepository(connection).recordSuccess(endpoint.id) }
                return
            }
            if let endpoint, endpoint.enabled {
                let failures = try await WebhookRepository(connection).recordFailure(endpoint.id)
                if failures >= configuration.webhookDisableAfter {
                    try await disable(endpoint, failures: failures, connection: connection, now: now, tenant: tenant)
                }
            }
            if outcome.permanent || delivery.attempts >= delivery.maxAttempts {
                try await deliveries.finish(
                    delivery.id, status: outcome.permanent ? .failed : .dead, at: now, nextAttemptAt: nil, error: outcome.error, providerReference: nil)
                try await due.remove(.delivery, item: delivery.id)
                let failed = DeliveryFailed(
                    deliveryId: delivery.id, eventId: delivery.eventID, eventType: delivery.eventType, channel: delivery.channel.rawValue,
                    attempts: delivery.attempts, lastError: outcome.error, webhookEndpointId: delivery.webhookEndpointID
                )
                try await Outbox.enqueue(
                    EventEnvelope(type: EventType.Notification.deliveryFailed, tenantID: tenant, subject: delivery.id.uuidString.lowercased(), data: failed, time: now),
                    on: connection
                )
                return
            }
            let next = retryAt
                ?? now.addingTimeInterval(configuration.retryPolicy.delay(afterAttempt: delivery.attempts).timeInterval)
            try await deliveries.finish(delivery.id, status: .retrying, at: now, nextAttemptAt: next, error: outcome.error, providerReference: nil)
            if schedulesRetry { try await due.schedule(.delivery, tenant: tenant, item: delivery.id, at: next) }
        }
    }

    private func disable(_ endpoint: WebhookEndpoint, failures: Int, connection: PostgresConnection, now: Date, tenant: TenantID) async throws {
        let reason = "\(failures) failed deliveries in a row"
        try await WebhookRepository(connection).disable(endpoint.id, at: now, reason: reason)
        let disabled = WebhookDisabled(endpointId: endpoint.id, url: endpoint.url, consecutiveFailures: failures, reason: reason)
        try await Outbox.enqueue(
            EventEnvelope(type: EventType.Notification.webhookDisabled, tenantID: tenant, subject: endpoint.id.uuidString.lowercased(), data: disabled, time: now),
            on: connection
        )
    }
}

extension Optional {
    fileprivate func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
