import AsyncHTTPClient
import ERPProtocol
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A typed client for calling another service of the suite directly (not through the gateway).
///
/// Every call has a timeout and forwards request id, trace and token; idempotent calls (GET,
/// PUT, DELETE, or a POST with an Idempotency-Key) are retried with jittered backoff on
/// connection failures and 502/503/504; a circuit breaker turns a dead dependency into a fast
/// 503 instead of a pile of timeouts.
public final class ServiceClient: Sendable {
    public struct Configuration: Sendable {
        public var baseURL: String
        public var timeout: Duration
        public var retry: RetryPolicy
        public var breaker: CircuitBreaker.Configuration

        public init(baseURL: String, timeout: Duration = .seconds(5), retry: RetryPolicy = .init(), breaker: CircuitBreaker.Configuration = .init()) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.timeout = timeout
            self.retry = retry
            self.breaker = breaker
        }
    }

    public let service: String
    private let configuration: Configuration
    private let httpClient: HTTPClient
    private let logger: Logger
    public let breaker: CircuitBreaker

    public init(service: String, configuration: Configuration, httpClient: HTTPClient, logger: Logger) {
        self.service = service
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.breaker = CircuitBreaker(configuration: configuration.breaker)
    }

    public func get<Response: Decodable>(_ path: String, as type: Response.Type = Response.self, caller: CallerContext) async throws -> Response {
        try decode(try await send(.GET, path, caller: caller), as: type)
    }

    public func post<Body: Encodable, Response: Decodable>(
        _ path: String, body: Body, idempotencyKey: String? = nil, as type: Response.Type = Response.self, caller: CallerContext
    ) async throws -> Response {
        let bytes = [UInt8](try ERPJSON.encode(body))
        return try decode(try await send(.POST, path, body: bytes, idempotencyKey: idempotencyKey, caller: caller), as: type)
    }

    public func put<Body: Encodable, Response: Decodable>(
        _ path: String, body: Body, as type: Response.Type = Response.self, caller: CallerContext
    ) async throws -> Response {
        let bytes = [UInt8](try ERPJSON.encode(body))
        return try decode(try await send(.PUT, path, body: bytes, caller: caller), as: type)
    }

    public func delete(_ path: String, caller: CallerContext) async throws {
        _ = try await send(.DELETE, path, caller: caller)
    }

    /// Sends a request and returns any 2xx answer; error statuses throw `ServiceClientError`.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        body: [UInt8]? = nil,
        idempotencyKey: String? = nil,
        headers extraHeaders: [(String, String)] = [],
        caller: CallerContext
    ) async throws -> ServiceResponse {
        let retryable = [.GET, .HEAD, .PUT, .DELETE, .OPTIONS].contains(method) || idempotencyKey != nil
        let attempts = retryable ? configuration.retry.maxAttempts : 1
        var attempt = 0
        while true {
            attempt += 1
            guard breaker.allowRequest() else {
                throw ServiceClientError(kind: .circuitOpen, service: service)
            }
            do {
                let response = try await execute(method, path, body: body, idempotencyKey: idempotencyKey, headers: extraHeaders, caller: caller)
                if [502, 503, 504].contains(response.status) {
                    breaker.recordFailure()
                    if attempt < attempts {
                        try await Task.sleep(for: configuration.retry.delay(afterAttempt: attempt))
                        continue
                    }
                } else if response.status >= 500 {
                    breaker.recordFailure()
                } else {
                    breaker.recordSuccess()
                }
                guard (200..<300).contains(response.status) else {
                    let problem = try? ERPJSON.decoder().decode(ProblemDetails.self, from: Data(response.body))
                    throw ServiceClientError(kind: .status(response.status), service: service, remoteProblem: problem)
                }
                return response
            } catch let error as ServiceClientError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                breaker.recordFailure()
                let kind = Self.classify(error)
                logger.warning(
                    "service call failed",
                    metadata: [
                        LogMetadataKey.upstream: .string(service), LogMetadataKey.attempt: .stringConvertible(attempt),
                        LogMetadataKey.error: .string(String(describing: type(of: error))),
                    ]
                )
                if attempt < attempts {
                    try await Task.sleep(for: configuration.retry.delay(afterAttempt: attempt))
                    continue
                }
                throw ServiceClientError(kind: kind, service: service)
            }
        }
    }

    private func execute(
        _ method: HTTPMethod, _ path: String, body: [UInt8]?, idempotencyKey: String?, headers extraHeaders: [(String, String)], caller: CallerContext
    ) async throws -> ServiceResponse {
        var request = HTTPClientRequest(url: configuration.baseURL + (path.hasPrefix("/") ? path : "/" + path))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: RequestID.headerName, value: caller.requestID)
        request.headers.add(name: "traceparent", value: caller.trace.child().traceparent)
        if let token = caller.bearerToken {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        if let idempotencyKey {
            request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        }
        for (name, value) in extraHeaders {
            request.headers.add(name: name, value: value)
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let timeout = TimeAmount.nanoseconds(
            configuration.timeout.components.seconds * 1_000_000_000 + configuration.timeout.components.attoseconds / 1_000_000_000
        )
        let response = try await httpClient.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return ServiceResponse(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Array(buffer: bytes)
        )
    }

    private func decode<Response: Decodable>(_ response: ServiceResponse, as type: Response.Type) throws -> Response {
        do {
            return try ERPJSON.decoder().decode(type, from: Data(response.body))
        } catch {
            throw ServiceClientError(kind: .decoding, service: service)
        }
    }

    static func classify(_ error: any Error) -> ServiceClientError.Kind {
        if let clientError = error as? HTTPClientError,
            clientError == .deadlineExceeded || clientError == .readTimeout || clientError == .writeTimeout
        {
            return .timeout
        }
        return .unavailable
    }
}
