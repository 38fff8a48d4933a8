import ERPProtocol
import ERPTestSupport
import Foundation
import Testing

@testable import NotificationService

@Suite("Notification: templates and rules through the API")
struct TemplateAPITests {
    @Test("a template with a variable the event does not have is a 422 at save time and nothing is stored")
    func missingVariableRefused() async throws {
        try await NotificationHarness.run { harness in
            let token = try harness.token(tenant: .random())
            let path = "/v1/templates/erp.auth.organization.created/email/de"
            let bad = try await harness.send(.put, path, token: token, json: #"{"subject":"Hallo {{ownerNmae}}","text":"Willkommen {{name}}"}"#, headers: .ifMatch(0))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.problemCode == "validation_failed")
            #expect(bad.text.contains("ownerNmae"))
            #expect(try await harness.send(.get, path, token: token).status == .notFound)
        }
    }

    @Test("a tenant's German template is used for a German organization's welcome mail; preview renders sample data")
    func tenantTemplateUsed() async throws {
        try await NotificationHarness.run { harness in
            var (organization, event) = harness.organizationCreated()
            event.data.locale = "de"
            let token = try harness.token(tenant: organization.tenant)
            let path = "/v1/templates/erp.auth.organization.created/email/de"
            let saved = try await harness.send(
                .put, path, token: token,
                json: #"{"subject":"Willkommen, {{ownerName}}!","text":"Hallo {{ownerName}}, {{name}} ist bereit.","html":"<p>Hallo {{ownerName}}</p>"}"#,
                headers: .ifMatch(0)
            )
            #expect(saved.status == .created, "\(saved.text)")
            #expect(saved.headers[.eTag] == "\"1\"")
            let stale = try await harness.send(.put, path, token: token, json: #"{"subject":"x","text":"y"}"#, headers: .ifMatch(0))
            #expect(stale.status == .preconditionFailed)

            let preview = try await harness.send(.post, "/v1/templates/preview", token: token,
                                                 json: #"{"eventType":"erp.auth.organization.created","locale":"de","data":{"ownerName":"Grace"}}"#)
            #expect(preview.status == .ok)
            let rendered = try preview.decoded(RenderedMessage.self)
            #expect(rendered.subject == "Willkommen, Grace!")
            #expect(rendered.text == "Hallo Grace, Acme Corp ist bereit.")

            #expect(try await harness.deliver(event) == .handled)
            try await harness.sweep()
            let mail = try #require(try await Maildir.await(organization.ownerEmail).first)
            #expect(Maildir.decodeWords(Maildir.header("Subject", in: mail) ?? "") == "Willkommen, Zoë Owner!")
        }
    }

    @Test("admin endpoints need their notification.* permission")
    func rbac() async throws {
        try await NotificationHarness.run { harness in
            let tenant = TenantID.random()
            let user = try harness.token(tenant: tenant, permissions: NotificationHarness.userPermissions)
            for (method, path) in [("GET", "/v1/templates"), ("GET", "/v1/rules"), ("GET", "/v1/deliveries"), ("GET", "/v1/webhooks"), ("GET", "/v1/escalation-rules")] {
                let response = try await harness.send(method == "GET" ? .get : .post, path, token: user)
                #expect(response.status == .forbidden, "\(method) \(path)")
            }
            #expect(try await harness.send(.get, "/v1/templates").status == .unauthorized)
            #expect(try await harness.send(.get, "/v1/preferences", token: user).status == .ok)
        }
    }

    @Test("a rule override turns a built-in notification off for one tenant")
    func ruleOverride() async throws {
        try await NotificationHarness.run { harness in
            let (organization, event) = harness.organizationCreated()
            let token = try harness.token(tenant: organization.tenant)
            let off = try await harness.send(.put, "/v1/rules/erp.auth.organization.created/email", token: token,
                                             json: #"{"audience":"event","enabled":false,"transactional":true}"#, headers: .ifMatch(0))
            #expect(off.status == .created, "\(off.text)")
            let rules = try await harness.send(.get, "/v1/rules", token: token)
            #expect(rules.text.contains(#""enabled":false"#))
            #expect(try await harness.deliver(event) == .handled)
            #expect(try await harness.deliveries(organization.tenant).isEmpty)
            let bad = try await harness.send(.put, "/v1/rules/erp.subscription.payment.failed/email", token: token, json: #"{"audience":"everyone"}"#, headers: .ifMatch(0))
            #expect(bad.status == .unprocessableContent)
        }
    }
}
