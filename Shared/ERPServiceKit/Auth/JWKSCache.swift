import AsyncHTTPClient
import ERPCrypto
import ERPProtocol
import Foundation
import Logging
import NIOCore

/// The auth service's signing keys, fetched from its JWKS URL and cached.
///
/// Keys are refreshed periodically, and at once when a token names a `kid` we have not seen
/// (the auth service rotated its key) — but at most once per `minimumRefreshGap`, so a flood of
/// tokens with invented kids cannot turn into a flood of JWKS requests. Concurrent refreshes
/// share one fetch.
public actor JWKSCache: VerificationKeyProvider {
    private let url: String
    private let httpClient: HTTPClient
    private let refreshInterval: Duration
    private let minimumRefreshGap: Duration
    private let logger: Logger
    private var keys: [String: Ed25519.PublicKey] = [:]
    private var lastFetch: ContinuousClock.Instant?
    private var lastAttempt: ContinuousClock.Instant?
    private var inFlight: Task<[String: Ed25519.PublicKey], any Error>?

    public init(
        url: String,
        httpClient: HTTPClient,
        refreshInterval: Duration = .seconds(300),
        minimumRefreshGap: Duration = .seconds(5),
        logger: Logger
    ) {
        self.url = url
        self.httpClient = httpClient
        self.refreshInterval = refreshInterval
        self.minimumRefreshGap = minimumRefreshGap
        self.logger = logger
    }

    public func key(for kid: String) async throws -> Ed25519.PublicKey? {
        let now = ContinuousClock.now
        let stale = lastFetch.map { now - $0 > refreshInterval } ?? true
        if let key = keys[kid], !stale { return key }
        let mayRefresh = lastAttempt.map { now - $0 >= minimumRefreshGap } ?? true
        if mayRefresh || inFlight != nil {
            do {
                try await refresh()
            } catch {
                // Keep serving known keys when the auth service blips; only fail when we have none.
                logger.warning("JWKS refresh failed", metadata: [LogMetadataKey.error: .string(String(describing: type(of: error)))])
                if keys.isEmpty { throw AuthenticationError.keysUnavailable }
            }
        }
        return keys[kid]
    }

    /// Fetches the key set now (sharing a fetch already under way).
    public func refresh() async throws {
        if let inFlight {
            keys = try await inFlight.value
            return
        }
        lastAttempt = .now
        let task = Task { [url, httpClient] in try await Self.fetch(url: url, httpClient: httpClient) }
        inFlight = task
        defer { inFlight = nil }
        let fetched = try await task.value
        keys = fetched
        lastFetch = .now
    }

    private static func fetch(url: String, httpClient: HTTPClient) async throws -> [String: Ed25519.PublicKey] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await httpClient.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw AuthenticationError.keysUnavailable }
        let body = try await response.body.collect(upTo: 1 << 20)
        let set = try ERPJSON.decoder().decode(JSONWebKeySet.self, from: Data(buffer: body))
        var keys: [String: Ed25519.PublicKey] = [:]
        for jwk in set.keys where jwk.kty == "OKP" && jwk.crv == "Ed25519" && (jwk.alg == nil || jwk.alg == "EdDSA") {
            if let raw = jwk.ed25519PublicKey, let key = try? Ed25519.PublicKey(rawRepresentation: [UInt8](raw)) {
                keys[jwk.kid] = key
            }
        }
        return keys
    }
}

/// A fixed key set, for the auth service verifying its own tokens and for tests.
public struct StaticKeyProvider: VerificationKeyProvider {
    private let keys: [String: Ed25519.PublicKey]

    public init(keys: [String: Ed25519.PublicKey]) {
        self.keys = keys
    }

    public func key(for kid: String) async throws -> Ed25519.PublicKey? {
        keys[kid]
    }
}
