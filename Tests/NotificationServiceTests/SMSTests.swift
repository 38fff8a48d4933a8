import ERPProtocol
import ERPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import NotificationService

/// A Twilio-compatible Messages API on a loopback port (the external provider's stand-in).
final class TwilioTestServer: Sendable {
    static let sid = "AC_test_notification"
    static let token = "twilio_test_token"
    let messages = Mutex<[[String: String]]>([])

    func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/2010-04-01/Accounts/:sid/Messages.json") { request, context -> Response in
            let expected = "Basic " + Data("\(Self.sid):\(Self.token)".utf8).base64EncodedString()
            guard context.parameters.get("sid") == Self.sid, request.headers[.authorization] == expected else {
                return Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: #"{"code":20003,"message":"Authenticate"}"#)))
            }
            let form = String(buffer: try await request.body.collect(upTo: 1 << 16))
            var fields: [String: String] = [:]
            for pair in form.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                fields[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            self.messages.withLock { $0.append(fields) }
            return Response(status: .created, body: .init(byteBuffer: ByteBuffer(string: #"{"sid":"SM123","status":"queued"}"#)))
        }
        try await Application(router: router).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }
}

@Suite("Notification: SMS")
struct SMSTests {
    @Test("an SMS rule sends through the Twilio-compatible API to the number in the user's preferences")
    func smsDelivery() async throws {
        let twilio = TwilioTestServer()
        try await twilio.run { url in
            let provider = TwilioSMSProvider(baseURL: url, accountSID: TwilioTestServer.sid, authToken: TwilioTestServer.token, from: "+15550001111", httpClient: .shared)
            try await NotificationHarness.run(sms: provider) { harness in
                let organization = try await harness.signUp()
                let admin = try harness.token(tenant: organization.tenant)
                let owner = try harness.token(tenant: organization.tenant, user: organization.owner, permissions: NotificationHarness.userPermissions)
                #expect(try await harness.send(.put, "/v1/preferences/sms", token: owner, json: #"{"address":"+4915112345678"}"#, headers: .ifMatch(0)).status == .ok)
                #expect(try await harness.send(.put, "/v1/preferences/sms", token: owner, json: #"{"address":"0151 nope"}"#, headers: .ifMatch(1)).status == .unprocessableContent)
                let rule = try await harness.send(.put, "/v1/rules/erp.subscription.payment.failed/sms", token: admin, json: #"{"audience":"owners"}"#, headers: .ifMatch(0))
                #expect(rule.status == .created, "\(rule.text)")
                let template = try await harness.send(.put, "/v1/templates/erp.subscription.payment.failed/sms/en", token: admin,
                                                      json: #"{"text":"{{organizationName}}: payment of {{amount.formatted}} failed."}"#, headers: .ifMatch(0))
                #expect(template.status == .created, "\(template.text)")
                #expect(try await harness.deliver(PreferenceTests.paymentFailed(organization.tenant)) == .handled)
                try await harness.sweep()
                let sent = twilio.messages.withLock { $0 }
                #expect(sent.count == 1)
                #expect(sent.first?["To"] == "+4915112345678")
                #expect(sent.first?["From"] == "+15550001111")
                #expect(sent.first?["Body"] == "Ünïcode GmbH: payment of USD 29.00 failed.")
                let delivery = try #require(try await harness.deliveries(organization.tenant).first { $0.channel == .sms })
                #expect(delivery.status == .sent && delivery.providerReference == "SM123")
            }
        }
    }
}
