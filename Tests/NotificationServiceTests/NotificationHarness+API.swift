import ERPCrypto
import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import NotificationService

extension NotificationHarness {
    /// Every notification permission (what an Owner holds).
    static let adminPermissions: PermissionSet = [
        "notification.notification.read", "notification.preference.read", "notification.preference.update", "notification.template.read",
        "notification.template.manage", "notification.rule.read", "notification.rule.manage", "notification.delivery.read",
        "notification.webhook.read", "notification.webhook.manage",
    ]
    /// What a plain User holds: their own notifications and preferences.
    static let userPermissions: PermissionSet = ["notification.notification.read", "notification.preference.read", "notification.preference.update"]

    func token(tenant: TenantID, user: UserID = .random(), permissions: PermissionSet = adminPermissions) throws -> String {
        let now = Date()
        return try signer.sign(AccessTokenClaims(
            sub: user.description, org: tenant, roles: ["Owner"], perms: permissions, iss: "erp-auth", aud: .init("erp"),
            exp: now.addingTimeInterval(600), iat: now.addingTimeInterval(-1), jti: UUID().uuidString, kind: .user
        ))
    }

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        headers.append(contentsOf: extra)
        return try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// `POST /v1/webhooks` for `url`.
    func createWebhook(_ url: String, eventTypes: [String] = ["*"], token: String) async throws -> TestResponse {
        let types = eventTypes.map { "\"\($0)\"" }.joined(separator: ",")
        return try await send(.post, "/v1/webhooks", token: token, json: #"{"url":"\#(url)","eventTypes":[\#(types)]}"#)
    }
}

extension TestResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        try ERPJSON.decode(type, from: Data(buffer: body))
    }

    /// The problem `code` of an error answer.
    var problemCode: String? {
        (try? ERPJSON.decode(ProblemDetails.self, from: Data(buffer: body)))?.code.rawValue
    }

    var text: String { String(buffer: body) }
}

extension HTTPFields {
    static func ifMatch(_ version: Int) -> HTTPFields { [.ifMatch: "\"\(version)\""] }
}
