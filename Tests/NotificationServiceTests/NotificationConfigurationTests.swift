import Configuration
import ERPCrypto
import Foundation
import Testing

@testable import NotificationService

@Suite("Notification: configuration from the environment")
struct NotificationConfigurationTests {
    static func read(_ environment: [String: String]) throws -> NotificationConfiguration {
        try NotificationConfiguration(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    static let key = Data(SecureRandom.bytes(count: 32)).base64EncodedString()

    @Test("NOTIFICATION_SECRET_KEY is required and must be 32 bytes of base64", arguments: [nil, "", "change-me", Data(repeating: 1, count: 16).base64EncodedString()])
    func secretKeyRequired(value: String?) {
        let environment = value.map { ["NOTIFICATION_SECRET_KEY": $0] } ?? [:]
        #expect {
            try Self.read(environment)
        } throws: { error in
            String(describing: error).contains("NOTIFICATION_SECRET_KEY must be 32 random bytes in base64")
        }
    }

    @Test("the key, SMTP_CA_FILE and NOTIFICATION_WEBHOOK_ALLOW_PRIVATE are read; private webhook targets are off by default")
    func settings() throws {
        let plain = try Self.read(["NOTIFICATION_SECRET_KEY": Self.key])
        #expect(plain.secretKey == Array(Data(base64Encoded: Self.key)!))
        #expect(!plain.webhookAllowPrivate)

        let certificate = FileManager.default.temporaryDirectory.appendingPathComponent("erp-ca-\(UUID().uuidString).pem")
        try Data("not checked here".utf8).write(to: certificate)
        defer { try? FileManager.default.removeItem(at: certificate) }
        let configured = try Self.read([
            "NOTIFICATION_SECRET_KEY": Self.key, "NOTIFICATION_WEBHOOK_ALLOW_PRIVATE": "true",
            "SMTP_URL": "smtp://u:p@mail.example.com:587?starttls=required", "SMTP_CA_FILE": certificate.path,
        ])
        #expect(configured.webhookAllowPrivate)
        #expect(configured.smtp?.caFile == certificate.path)
        #expect(throws: NotificationConfiguration.Invalid.self) {
            try Self.read(["NOTIFICATION_SECRET_KEY": Self.key, "SMTP_URL": "smtp://mail.example.com", "SMTP_CA_FILE": "/nonexistent/ca.pem"])
        }
    }
}
