import AsyncHTTPClient
import ERPProtocol
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A service's own access tokens (client-credentials grant of its platform client
/// `svc_<service>` at erp-auth), for calls it makes on its own behalf. Tokens are cached per
/// organization until shortly before they expire, so a busy service asks auth once per
/// token lifetime rather than once per call.
public actor PlatformTokenProvider {
    public struct Failure: Error, CustomStringConvertible {
        public let status: Int
        public var description: String { "platform token request refused with HTTP \(status)" }
    }

    private struct Grant: Decodable {
        var accessToken: String
        var expiresIn: Int
    }

    private let tokenURL: String
    private let clientID: String
    private let clientSecret: String
    private let httpClient: HTTPClient
    private let refreshMargin: Duration
    private var cached: [TenantID: (token: String, renewAt: ContinuousClock.Instant)] = [:]

    /// - Parameters:
    ///   - authURL: erp-auth's base URL (`AUTH_URL`).
    ///   - service: the calling service; its client id is `svc_<service>`.
    ///   - clientSecret: the secret auth knows it by (`PLATFORM_CLIENT_SECRET`).
    public init(authURL: String, service: ServiceName, clientSecret: String, httpClient: HTTPClient, refreshMargin: Duration = .seconds(60)) {
        var base = authURL
        while base.hasSuffix("/") { base.removeLast() }
        self.tokenURL = base + "/v1/oauth/token"
        self.clientID = "svc_" + service.rawValue
        self.clientSecret = clientSecret
        self.httpClient = httpClient
        self.refreshMargin = refreshMargin
    }

    /// A bearer token acting within `organization`, or for no organization when nil.
    public func token(organization: TenantID? = nil) async throws -> String {
        let key = organization ?? .platform
        if let entry = cached[key], ContinuousClock.now < entry.renewAt { return entry.token }
        var request = HTTPClientRequest(url: tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        var body = ["grantType": "client_credentials", "clientId": clientID, "clientSecret": clientSecret]
        if let organization { body["organization"] = organization.description }
        request.body = .bytes(ByteBuffer(bytes: try ERPJSON.encode(body)))
        let response = try await httpClient.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok else { throw Failure(status: Int(response.status.code)) }
        let grant = try ERPJSON.decode(Grant.self, from: Data(buffer: bytes))
        let lifetime = Duration.seconds(grant.expiresIn)
        cached[key] = (grant.accessToken, ContinuousClock.now + max(lifetime - refreshMargin, lifetime / 2))
        return grant.accessToken
    }

    /// A caller context carrying the service's own token, for ``ServiceClient`` calls.
    public func caller(organization: TenantID? = nil, requestID: String = RequestID.generate(), trace: TraceContext = .newRoot()) async throws -> CallerContext {
        CallerContext(requestID: requestID, trace: trace, bearerToken: try await token(organization: organization))
    }
}
