import ERPProtocol
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AuthService

/// The HTTP API as a front end uses it, with helpers for the common flows. Each client has
/// its own source IP (sent as `X-Forwarded-For`, as the gateway does), so per-IP throttling
/// in one test does not spill into another.
struct AuthClient: Sendable {
    let client: any TestClientProtocol
    var ip = "198.51.100.\(Int.random(in: 1...254))-\(UUID().uuidString.prefix(8))"
    var userAgent = "auth-tests"

    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: (any Encodable & Sendable)? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.userAgent: userAgent, HTTPField.Name("X-Forwarded-For")!: ip]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try ERPJSON.encode(json))
        }
        headers.append(contentsOf: extra)
        return try await client.execute(uri: path, method: method, headers: headers, body: body)
    }

    /// A fresh organization with its owner, logged in.
    func register(name: String = "Acme \(UUID().uuidString.prefix(6))", slug: String? = nil, email: String? = nil) async throws -> Registered {
        let email = email ?? "owner-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let response = try await send(.post, "/v1/organizations", json: [
            "organization": ["name": .string(name), "slug": .text(slug)],
            "owner": ["email": .string(email), "password": .string(Registered.password), "name": "Olivia Owner"],
        ] as JSONBody)
        #expect(response.status == .created, "registration failed: \(String(buffer: response.body))")
        let output = try response.json(RegistrationController.Output.self)
        return Registered(organization: output.organization, user: output.user, tokens: output.tokens, email: email)
    }

    /// Logs in; returns the raw response (tests check failures).
    func login(_ email: String, _ password: String = Registered.password, organization: String? = nil, totp: String? = nil, recovery: String? = nil) async throws -> TestResponse {
        try await send(.post, "/v1/sessions", json: [
            "email": .string(email), "password": .string(password), "organization": .text(organization), "totpCode": .text(totp),
            "recoveryCode": .text(recovery),
        ] as JSONBody)
    }

    func tokens(_ email: String, _ password: String = Registered.password) async throws -> TokenResponse {
        let response = try await login(email, password)
        #expect(response.status == .created, "login failed: \(String(buffer: response.body))")
        return try response.json(TokenResponse.self)
    }
}

/// A registered organization and its owner's session.
struct Registered: Sendable {
    static let password = "Tangerine-Violin-7781-Quartz"

    var organization: OrganizationResponse
    var user: UserResponse
    var tokens: TokenResponse
    var email: String

    var tenant: TenantID { organization.id }
    var token: String { tokens.accessToken }
}

/// A JSON object literal for request bodies.
typealias JSONBody = [String: JSONValue]

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(Int64(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(Dictionary(uniqueKeysWithValues: elements)) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }

    /// A string, or null.
    static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }
}

extension TestResponse {
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try ERPJSON.decoder().decode(type, from: Data(buffer: body))
    }

    var problem: ProblemDetails? {
        try? ERPJSON.decoder().decode(ProblemDetails.self, from: Data(buffer: body))
    }

    var text: String { String(buffer: body) }
}
