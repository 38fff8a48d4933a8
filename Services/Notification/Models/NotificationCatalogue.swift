import ERPProtocol

/// The event types with built-in notifications (ARCHITECTURE.md §4: sign-up, invitations,
/// password resets, trials and dunning) and the escalation message. Later services add entries
/// here; a tenant can add rules and templates for these, and webhooks for any event type.
enum NotificationCatalogue {
    static let entries: [String: CatalogueEntry] = Dictionary(
        uniqueKeysWithValues: (authEntries + subscriptionEntries + [escalation]).map { ($0.eventType, $0) }
    )

    static func entry(_ eventType: String) -> CatalogueEntry? { entries[eventType] }

    /// The built-in rules of every event type.
    static var builtInRules: [EventRule] {
        entries.values.flatMap { entry in
            entry.rules.map {
                EventRule(id: nil, eventType: entry.eventType, channel: $0.channel, audience: $0.audience, enabled: true,
                          transactional: $0.transactional, version: 0, createdAt: nil)
            }
        }
    }

    /// Not a Kafka event: the message an escalation sends to the next person of its chain.
    static let escalationEventType = "erp.notification.escalation.due"

    private static let money: JSONValue = .object(["amountMinor": .integer(2900), "currency": .string("USD")])
    private static let plan: JSONValue = .object(["code": .string("pro"), "version": .integer(1), "name": .string("Pro")])
    private static let sampleDate: JSONValue = .string("2026-01-15T00:00:00.000Z")

    private static let authEntries: [CatalogueEntry] = [
        CatalogueEntry(
            eventType: EventType.Auth.organizationCreated.rawValue,
            samplePayload: [
                "organizationId": .string("7f1c0e2a-5d8b-4c3e-9a6f-1b2c3d4e5f60"), "name": .string("Acme Corp"), "slug": .string("acme"),
                "ownerUserId": .string("0d9b8c7a-6e5f-4a3b-2c1d-0e9f8a7b6c5d"), "ownerEmail": .string("ada@example.com"),
                "ownerName": .string("Ada Lovelace"), "requestedPlan": .string("free"), "locale": .string("en"),
            ],
            addressField: "ownerEmail", userIDField: "ownerUserId", nameField: "ownerName", localeField: "locale",
            rules: [.init(channel: .email, audience: .event, transactional: true)],
            templates: [.email: TemplateContent(
                subject: "Welcome to ERP, {{ownerName}}!",
                text: """
                    Hello {{ownerName}},

                    your organization {{name}} is ready. Sign in with {{ownerEmail}} to invite your team and set up your workspace.

                    Welcome aboard!
                    """,
                html: """
                    <p>Hello {{ownerName}},</p>
                    <p>your organization <strong>{{name}}</strong> is ready. Sign in with {{ownerEmail}} to invite your team and set up your workspace.</p>
                    <p>Welcome aboard!</p>
                    """
            )]
        ),
        CatalogueEntry(
            eventType: EventType.Auth.userInvited.rawValue,
            samplePayload: [
                "invitationId": .string("inv_123"), "email": .string("grace@example.com"), "organizationName": .string("Acme Corp"),
                "invitedBy": .string("0d9b8c7a-6e5f-4a3b-2c1d-0e9f8a7b6c5d"), "roles": .array([.string("User")]),
                "acceptToken": .string("tok_sample"), "acceptUrl": .string("https://app.example.com/invitations/tok_sample"),
                "expiresAt": sampleDate,
            ],
            addressField: "email", userIDField: nil, nameField: nil, localeField: nil,
            rules: [.init(channel: .email, audience: .event, transactional: true)],
            templates: [.email: TemplateContent(
                subject: "You are invited to join {{organizationName}}",
                text: """
                    Hello,

                    you have been invited to join {{organizationName}}. Accept the invitation here:
                    {{acceptUrl}}

                    The link is valid until {{expiresAt}}.
                    """,
                html: """
                    <p>Hello,</p>
                    <p>you have been invited to join <strong>{{organizationName}}</strong>.</p>
                    <p><a href="{{acceptUrl}}">Accept the invitation</a></p>
                    <p>The link is valid until {{expiresAt}}.</p>
                    """
            )]
        ),
        CatalogueEntry(
            eventType: EventType.Auth.passwordResetRequested.rawValue,
            samplePayload: [
                "userId": .string("0d9b8c7a-6e5f-4a3b-2c1d-0e9f8a7b6c5d"), "email": .string("ada@example.com"), "name": .string("Ada Lovelace"),
                "token": .string("tok_sample"), "url": .string("https://app.example.com/reset/tok_sample"), "expiresAt": sampleDate,
            ],
            addressField: "email", userIDField: "userId", nameField: "name", localeField: nil,
            rules: [.init(channel: .email, audience: .event, transactional: true)],
            templates: [.email: TemplateContent(
                subject: "Reset your password",
                text: """
                    Hello {{name}},

                    someone asked to reset the password of {{email}}. Choose a new one here:
                    {{url}}

                    The link is valid until {{expiresAt}}. If it was not you, ignore this mail.
                    """,
                html: """
                    <p>Hello {{name}},</p>
                    <p>someone asked to reset the password of {{email}}.</p>
                    <p><a href="{{url}}">Choose a new password</a></p>
                    <p>The link is valid until {{expiresAt}}. If it was not you, ignore this mail.</p>
                    """
            )]
        ),
    ]

    private static func subscriptionPayload(status: String) -> [String: JSONValue] {
        [
            "subscriptionId": .string("5b4a3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"), "plan": plan, "status": .string(status),
            "previousStatus": .string("active"), "currentPeriodStart": sampleDate, "currentPeriodEnd": .string("2026-02-15T00:00:00.000Z"),
            "trialEnd": sampleDate, "cancelAtPeriodEnd": .bool(false), "reason": .string("payment_failed"),
        ]
    }

    private static func ownerNotice(_ type: EventType, status: String, subject: String, text: String) -> CatalogueEntry {
        CatalogueEntry(
            eventType: type.rawValue, samplePayload: subscriptionPayload(status: status),
            addressField: nil, userIDField: nil, nameField: nil, localeField: nil,
            rules: [.init(channel: .email, audience: .owners, transactional: false), .init(channel: .inApp, audience: .owners, transactional: false)],
            templates: [
                .email: TemplateContent(subject: subject, text: "Hello {{recipientName}},\n\n\(text)", html: "<p>Hello {{recipientName}},</p>\n<p>\(text)</p>"),
                .inApp: TemplateContent(subject: subject, text: text, html: nil),
            ]
        )
    }

    private static let subscriptionEntries: [CatalogueEntry] = [
        ownerNotice(EventType.Subscription.trialEnding, status: "trialing", subject: "Your {{plan.name}} trial ends soon",
                    text: "The {{plan.name}} trial of {{organizationName}} ends on {{trialEnd}}. Add a payment method to keep your plan."),
        ownerNotice(EventType.Subscription.subscriptionPastDue, status: "past_due", subject: "Payment for {{organizationName}} is past due",
                    text: "The {{plan.name}} subscription of {{organizationName}} is past due. Please update your payment method."),
        ownerNotice(EventType.Subscription.subscriptionUnpaid, status: "unpaid", subject: "{{organizationName}}: subscription unpaid",
                    text: "We could not collect payment for the {{plan.name}} subscription of {{organizationName}}; paid features are paused."),
        CatalogueEntry(
            eventType: EventType.Subscription.paymentFailed.rawValue,
            samplePayload: [
                "paymentId": .string("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"), "invoiceId": .string("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"),
                "invoiceNumber": .string("INV-2026-0001"), "amount": money, "attempt": .integer(1), "failureCode": .string("card_declined"),
                "failureMessage": .string("Your card was declined."), "nextAttemptAt": sampleDate,
            ],
            addressField: nil, userIDField: nil, nameField: nil, localeField: nil,
            rules: [.init(channel: .email, audience: .owners, transactional: false), .init(channel: .inApp, audience: .owners, transactional: false)],
            templates: [
                .email: TemplateContent(
                    subject: "Payment of {{amount.formatted}} failed",
                    text: """
                        Hello {{recipientName}},

                        the payment of {{amount.formatted}} for invoice {{invoiceNumber}} failed: {{failureMessage}}
                        {{#nextAttemptAt}}We will try again on {{nextAttemptAt}}.{{/nextAttemptAt}}
                        """,
                    html: """
                        <p>Hello {{recipientName}},</p>
                        <p>the payment of <strong>{{amount.formatted}}</strong> for invoice {{invoiceNumber}} failed: {{failureMessage}}</p>
                        {{#nextAttemptAt}}<p>We will try again on {{nextAttemptAt}}.</p>{{/nextAttemptAt}}
                        """
                ),
                .inApp: TemplateContent(subject: "Payment of {{amount.formatted}} failed", text: "Invoice {{invoiceNumber}}: {{failureMessage}}", html: nil),
            ]
        ),
    ]

    private static let escalation = CatalogueEntry(
        eventType: escalationEventType,
        samplePayload: [
            "triggerEventType": .string("erp.hrm.leave.requested"), "subject": .string("leave-42"), "level": .integer(1),
            "openedAt": sampleDate, "waitingSeconds": .integer(86_400),
        ],
        addressField: nil, userIDField: nil, nameField: nil, localeField: nil, rules: [],
        templates: [
            .email: TemplateContent(
                subject: "Waiting for action: {{triggerEventType}} {{subject}}",
                text: "Hello {{recipientName}},\n\n{{triggerEventType}} for {{subject}} has been waiting since {{openedAt}} without follow-up. You are next in line (level {{level}}).",
                html: "<p>Hello {{recipientName}},</p><p>{{triggerEventType}} for <strong>{{subject}}</strong> has been waiting since {{openedAt}} without follow-up. You are next in line (level {{level}}).</p>"
            ),
            .inApp: TemplateContent(subject: "Waiting for action: {{subject}}", text: "{{triggerEventType}} has been waiting since {{openedAt}}.", html: nil),
        ]
    )
}
