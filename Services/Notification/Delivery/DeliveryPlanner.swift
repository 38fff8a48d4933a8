import ERPPostgres
import ERPProtocol
import Foundation

/// Turns one event into deliveries inside the consumer's transaction: the tenant's rules (built-in
/// ones unless overridden), each rule's recipients, their preferences, the right template, and
/// every webhook endpoint subscribed to the event type. Each delivery is stored once per event,
/// channel and target, and put on the scheduler's list at the time it may go out.
struct DeliveryPlanner {
    let connection: PostgresConnection
    let configuration: NotificationConfiguration
    let now: Date

    /// Returns the number of deliveries created.
    @discardableResult
    func plan(_ event: EventEnvelope<JSONValue>) async throws -> Int {
        let type = event.type.rawValue
        var created = 0
        for rule in try await effectiveRules(for: type) where rule.enabled && rule.channel != .webhook {
            for recipient in try await recipients(rule.audience, event: event) {
                if try await planPersonal(event, rule: rule, recipient: recipient) { created += 1 }
            }
        }
        for endpoint in try await WebhookRepository(connection).subscribers(of: type) {
            let delivery = Delivery(
                id: UUID(), tenantID: event.tenantID, eventID: event.id.uuid, eventType: type, eventTime: event.time, channel: .webhook,
                target: endpoint.id.uuidString.lowercased(), userID: nil, webhookEndpointID: endpoint.id,
                message: RenderedMessage(subject: "", text: "", html: nil), payload: try JSONValue(encoding: event), status: .queued,
                attempts: 0, maxAttempts: configuration.webhookMaxAttempts, nextAttemptAt: now, lastError: nil, providerReference: nil,
                createdAt: now, sentAt: nil
            )
            if try await store(delivery, dueAt: now) { created += 1 }
        }
        return created
    }

    /// The built-in rules of `eventType`, each replaced by the tenant's rule for the same channel,
    /// plus the tenant's rules for other channels.
    func effectiveRules(for eventType: String) async throws -> [EventRule] {
        let own = try await RuleRepository(connection).forEvent(eventType)
        let builtIn = NotificationCatalogue.builtInRules.filter { $0.eventType == eventType && !own.map(\.channel).contains($0.channel) }
        return builtIn + own
    }

    /// Stores one rendered message for `recipient`, unless they opted out of the channel (a
    /// transactional rule ignores that and quiet hours). Returns whether a delivery was created.
    func planPersonal(_ event: EventEnvelope<JSONValue>, rule: EventRule, recipient: Recipient, extra: [String: JSONValue] = [:]) async throws -> Bool {
        var preference = Preference.standard(user: recipient.userID ?? UUID(), channel: rule.channel)
        if let user = recipient.userID { preference = try await PreferenceRepository(connection).get(user: user, channel: rule.channel) }
        if !preference.optedIn && !rule.transactional { return false }
        let target: String
        switch rule.channel {
        case .email: target = recipient.email
        case .inApp:
            guard let user = recipient.userID else { return false }
            target = user.uuidString.lowercased()
        case .sms:
            guard let phone = preference.address else { return false }
            target = phone
        case .webhook: return false
        }
        guard let content = try await template(event.type.rawValue, channel: rule.channel, locale: recipient.locale) else { return false }
        let organization = try await DirectoryRepository(connection).organization()
        var variables = TemplateVariables.make(
            payload: event.data,
            common: .init(organizationName: organization?.name ?? "", recipientName: recipient.name, recipientEmail: recipient.email, eventTime: event.time)
        )
        variables.merge(extra) { _, new in new }
        let message = try TemplateRenderer.render(content, variables: variables)
        let dueAt = rule.transactional ? now : preference.releaseTime(after: now)
        var delivery = Delivery(
            id: UUID(), tenantID: event.tenantID, eventID: event.id.uuid, eventType: event.type.rawValue, eventTime: event.time, channel: rule.channel,
            target: target, userID: recipient.userID, webhookEndpointID: nil, message: message, payload: nil, status: .queued, attempts: 0,
            maxAttempts: configuration.maxAttempts, nextAttemptAt: dueAt, lastError: nil, providerReference: nil, createdAt: now, sentAt: nil
        )
        // Other channels in digest mode are only held until the digest time; mails are combined.
        delivery.digest = rule.channel == .email && !rule.transactional && preference.mode == .digest
        return try await store(delivery, dueAt: dueAt)
    }

    private func store(_ delivery: Delivery, dueAt: Date) async throws -> Bool {
        let deliveries = DeliveryRepository(connection)
        // A digest mail joins the one already scheduled for the recipient and time (the worker
        // that sends it gathers the rest); only the first is on the scheduler's list.
        let joins = delivery.digest ? try await deliveries.digestScheduled(target: delivery.target, at: dueAt) : false
        guard try await deliveries.insert(delivery) else { return false }
        if !joins { try await DueWorkRepository(connection).schedule(.delivery, tenant: delivery.tenantID, item: delivery.id, at: dueAt) }
        return true
    }

    /// The tenant's template for the locale, else the tenant's English one, else the built-in one.
    func template(_ eventType: String, channel: Channel, locale: String) async throws -> TemplateContent? {
        let templates = TemplateRepository(connection)
        for candidate in locale == "en" ? ["en"] : [locale, "en"] {
            if let stored = try await templates.find(eventType: eventType, channel: channel, locale: candidate) { return stored.content }
        }
        return NotificationCatalogue.entry(eventType)?.templates[channel]
    }

    func recipients(_ audience: Audience, event: EventEnvelope<JSONValue>) async throws -> [Recipient] {
        let directory = DirectoryRepository(connection)
        switch audience {
        case .event:
            guard let entry = NotificationCatalogue.entry(event.type.rawValue), let field = entry.addressField,
                let email = event.data[field]?.stringValue
            else { return [] }
            let user = entry.userIDField.flatMap { event.data[$0]?.stringValue }.flatMap(UUID.init(uuidString:))
            let known = try await user.asyncFlatMap { try await directory.user($0) }
            var locale = entry.localeField.flatMap { event.data[$0]?.stringValue } ?? known?.locale
            if locale == nil { locale = try await directory.organization()?.locale }
            return [Recipient(
                userID: user, email: email, name: entry.nameField.flatMap { event.data[$0]?.stringValue } ?? known?.name ?? "",
                locale: locale ?? "en"
            )]
        case .owners:
            return try await directory.owners()
        case .admins:
            return try await directory.withRoles(["Owner", "Admin"])
        case .role(let role):
            return try await directory.withRoles([role])
        case .user(let id):
            return try await directory.user(id).map { [$0] } ?? []
        }
    }
}

extension Optional {
    fileprivate func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
