import AsyncHTTPClient
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// Counts upstream hits across the server's tasks.
final class HitCounter: Sendable {
    let value = Mutex(0)
}

@Suite("Typed service client against a real upstream")
struct ServiceClientTests {
    struct Echo: ResponseCodable, Sendable, Equatable {
        let requestID: String?
        let traceparent: String?
        let authorization: String?
    }

    /// An upstream whose `/flaky` fails `failures` times with 503 before answering, `/slow`
    /// answers after 2 s, `/missing` answers a 404 problem.
    static func upstream(failures: Int, hits: HitCounter) -> some ApplicationProtocol {
        let router = Router()
        router.get("/echo") { request, _ in
            Echo(
                requestID: request.headers[HTTPField.Name("X-Request-ID")!],
                traceparent: request.headers[HTTPField.Name("traceparent")!],
                authorization: request.headers[.authorization]
            )
        }
        router.get("/flaky") { _, _ -> Response in
            let count = hits.value.withLock { hits in
                hits += 1
                return hits
            }
            if count <= failures { return Response(status: .serviceUnavailable) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"requestID":"ok","traceparent":null,"authorization":null}"#)))
        }
        router.post("/create") { _, _ -> Response in
            hits.value.withLock { $0 += 1 }
            return Response(status: .serviceUnavailable)
        }
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(2))
            return "late"
        }
        router.get("/missing") { _, _ -> Response in
            let body = try ERPJSON.encode(ProblemDetails.notFound(detail: "no such lead"))
            return Response(status: .notFound, headers: [.contentType: ProblemDetails.contentType], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func client(port: Int, timeout: Duration = .seconds(5), breaker: CircuitBreaker.Configuration = .init()) -> (ServiceClient, HTTPClient) {
        // AsyncHTTPClient keeps re-trying a refused connection until the connect timeout, so it
        // bounds the dead-upstream test; 300 ms proved too short for a loaded CI machine, where a
        // live loopback server did not accept in time and the call never reached it.
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(2))))
        let client = ServiceClient(
            service: "upstream",
            configuration: .init(baseURL: "http://127.0.0.1:\(port)", timeout: timeout, retry: .init(maxAttempts: 3, baseDelay: .milliseconds(5)), breaker: breaker),
            httpClient: http, logger: Logger(label: "client-test")
        )
        return (client, http)
    }

    @Test("forwards request id, a child trace span and the caller's token")
    func forwardsContext() async throws {
        let hits = HitCounter()
        try await Self.upstream(failures: 0, hits: hits).test(.live) { testClient in
            let (client, http) = Self.client(port: testClient.port!)
            defer { _ = http.shutdown() }
            let trace = TraceContext.newRoot()
            let echo: Echo = try await client.get("/echo", caller: CallerContext(requestID: "req-42", trace: trace, bearerToken: "tok"))
            #expect(echo.requestID == "req-42")
            #expect(echo.authorization == "Bearer tok")
            let forwarded = try #require(echo.traceparent.flatMap(TraceContext.init(traceparent:)))
            #expect(forwarded.traceID == trace.traceID)
            #expect(forwarded.spanID != trace.spanID)
        }
    }

    @Test("idempotent calls are retried on 503 and succeed")
    func retriesIdempotent() async throws {
        let hits = HitCounter()
        try await Self.upstream(failures: 2, hits: hits).test(.live) { testClient in
            let (client, http) = Self.client(port: testClient.port!)
            defer { _ = http.shutdown() }
            let echo: Echo = try await client.get("/flaky", caller: CallerContext())
            #expect(echo.requestID == "ok")
            #expect(hits.value.withLock { $0 } == 3)
        }
    }

    @Test("a POST without an idempotency key is not retried")
    func noRetryForPost() async throws {
        let hits = HitCounter()
        try await Self.upstream(failures: 0, hits: hits).test(.live) { testClient in
            let (client, http) = Self.client(port: testClient.port!)
            defer { _ = http.shutdown() }
            await #expect(throws: ServiceClientError.self) {
                let _: Echo = try await client.post("/create", body: ["a": 1], caller: CallerContext())
            }
            #expect(hits.value.withLock { $0 } == 1)
            await #expect(throws: ServiceClientError.self) {
                let _: Echo = try await client.post("/create", body: ["a": 1], idempotencyKey: "k-1", caller: CallerContext())
            }
            #expect(hits.value.withLock { $0 } == 4)
        }
    }

    @Test("a slow upstream is a timeout error (504), not a hang")
    func timeout() async throws {
        let hits = HitCounter()
        try await Self.upstream(failures: 0, hits: hits).test(.live) { testClient in
            let (client, http) = Self.client(port: testClient.port!, timeout: .milliseconds(300))
            defer { _ = http.shutdown() }
            do {
                let _: String = try await client.get("/slow", caller: CallerContext())
                Issue.record("expected a timeout")
            } catch let error as ServiceClientError {
                #expect(error.kind == .timeout)
                #expect(error.problem.status == 504)
            }
        }
    }

    @Test("the upstream's 4xx problem passes through to our caller")
    func problemPassesThrough() async throws {
        let hits = HitCounter()
        try await Self.upstream(failures: 0, hits: hits).test(.live) { testClient in
            let (client, http) = Self.client(port: testClient.port!)
            defer { _ = http.shutdown() }
            do {
                let _: Echo = try await client.get("/missing", caller: CallerContext())
                Issue.record("expected a 404")
            } catch let error as ServiceClientError {
                #expect(error.kind == .status(404))
                #expect(error.problem.code == .notFound)
                #expect(error.problem.detail == "no such lead")
            }
        }
    }

    @Test("the breaker opens on a dead upstream, fails fast, and half-opens after the cool-down")
    func breaker() async throws {
        let port = FreePort.find()
        let (client, http) = Self.client(port: port, breaker: .init(failureThreshold: 2, coolDown: .milliseconds(500)))
        defer { _ = http.shutdown() }
        // Nothing listens on the port: the retries of one call already reach the threshold.
        await #expect(throws: ServiceClientError.self) { let _: Echo = try await client.get("/echo", caller: CallerContext()) }
        #expect(client.breaker.state == .open)
        do {
            let _: Echo = try await client.get("/echo", caller: CallerContext())
            Issue.record("expected the open breaker to refuse the call")
        } catch let error as ServiceClientError {
            #expect(error.kind == .circuitOpen)
        }
        try await Task.sleep(for: .milliseconds(600))
        #expect(client.breaker.state == .halfOpen)
    }
}
