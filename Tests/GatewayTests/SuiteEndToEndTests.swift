import ERPCrypto
import ERPTestSupport
import Foundation
import Testing

/// The suite as a front end meets it: the real erp-auth and erp-notification binaries (each with
/// its own schema in the stack's `erp_test` database) behind a real erp-gateway, talking through
/// the stack's Kafka, delivering to the stack's SMTP sink. Nothing is handed from one service to
/// the next by the test.
@Suite("Suite end to end: sign-up to welcome mail")
struct SuiteEndToEndTests {
    @Test("an organization signed up through the gateway gets its welcome mail: auth → outbox → Kafka → notification → SMTP")
    func welcomeMail() async throws {
        let authSchema = try await TestSchema.create("e2eauth")
        let notificationSchema = try await TestSchema.create("e2enotify")
        let auth = try await TestServers.auth(schema: authSchema, name: "e2eauth")
        let authURL = TestServers.url(auth)
        let notificationPort = FreePort.find()
        let notification = ChildProcess(
            arguments: [TestBinaries.notification],
            environment: [
                "HTTP_PORT": String(notificationPort), "POSTGRES_URL": notificationSchema.appURL,
                "POSTGRES_MIGRATION_URL": notificationSchema.ownerURL, "REDIS_URL": TestEnvironment.redisURL,
                "KAFKA_BOOTSTRAP_SERVERS": TestEnvironment.kafkaBootstrapServers, "SMTP_URL": TestEnvironment.smtpURL,
                "AUTH_JWKS_URL": "\(authURL)/.well-known/jwks.json", "NOTIFICATION_TOPICS": "auth",
                // A consumer group of its own, so it reads the topic regardless of other runs.
                "NOTIFICATION_CONSUMER_NAME": TestEnvironment.uniqueName("e2e"),
                "NOTIFICATION_SECRET_KEY": Data(SecureRandom.bytes(count: 32)).base64EncodedString(), "LOG_LEVEL": "warning",
            ],
            port: notificationPort, name: "e2e-notification")
        try await notification.start()
        let gateway = try await TestServers.gateway([
            "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(authURL)/.well-known/jwks.json",
            "GATEWAY_UPSTREAMS": "auth=\(authURL),notification=http://127.0.0.1:\(notificationPort)",
        ])
        defer {
            gateway.stop()
            notification.stop()
            auth.stop()
        }

        let email = "e2e-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let organizationName = "Ærø Trading \(UUID().uuidString.prefix(4))"
        let registered = try await TestHTTP.request(
            "\(TestServers.url(gateway))/api/v1/auth/organizations", method: .POST, headers: [("Content-Type", "application/json")],
            body: try JSONSerialization.data(withJSONObject: [
                "organization": ["name": organizationName], "owner": ["email": email, "password": "Tangerine-Violin-7781-Quartz", "name": "Olga Owner"],
            ]))
        #expect(registered.status == 201, "\(String(decoding: registered.body, as: UTF8.self))")

        // The consumer may first read what earlier runs left on the topic; allow it a while.
        var mails: [String] = []
        try await waitUntil(timeout: .seconds(90)) {
            mails = Self.mails(to: email)
            return !mails.isEmpty
        }
        let mail = try #require(mails.first)
        #expect(mails.count == 1)
        #expect(mail.contains("Subject: =?UTF-8?") || mail.contains("Subject: Welcome to ERP, Olga Owner!"))
        #expect(mail.contains("multipart/alternative"))
        // The organization's name (with non-ASCII letters) made it into the quoted-printable body.
        #expect(mail.replacingOccurrences(of: "=\r\n", with: "").contains("Trading"))
        try? await authSchema.drop()
        try? await notificationSchema.drop()
    }

    /// Mails to `address` in the stack's sink (shared with other suites: found by recipient).
    static func mails(to address: String) -> [String] {
        let directory = URL(fileURLWithPath: TestEnvironment.smtpMaildir).appendingPathComponent("new")
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return files.compactMap { try? String(contentsOf: $0, encoding: .utf8) }.filter { $0.contains("<\(address)>") }
    }
}
