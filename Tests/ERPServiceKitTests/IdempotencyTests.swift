import ERPProtocol
import ERPRedis
import ERPServiceKit
import ERPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@Suite("Idempotency-Key middleware (real Redis)")
struct IdempotencyTests {
    /// Counts how often the handler really ran, per path.
    final class Runs: Sendable {
        let count = Mutex(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
        var value: Int { count.withLock { $0 } }
    }

    static let key = HTTPField.Name("Idempotency-Key")!

    static func withApplication(
        redisURL: String = TestEnvironment.redisURL,
        _ body: @escaping @Sendable (any TestClientProtocol, Runs) async throws -> Void
    ) async throws {
        let redis = RedisPool(configuration: try RedisConfiguration(url: redisURL, poolSize: 2, connectTimeout: .seconds(1)), logger: Logger(label: "idempotency-test"))
        let store = IdempotencyStore(redis: redis, prefix: "test:\(UUID().uuidString)", claimTimeout: .seconds(5))
        let runs = Runs()
        let router = ServiceRouter.make(verifier: TestTokens.verifier, idempotency: store)
        router.post("/notes") { request, context -> Response in
            try context.require("crm.lead.read")
            let input = try await request.decode(as: [String: String].self, context: context)
            if input["fail"] == "validation" { throw ProblemDetails.validation([.invalid("title", message: "Bad.")]) }
            if let delay = input["sleepMs"], let ms = Int(delay) { try await Task.sleep(for: .milliseconds(ms)) }
            let run = runs.next()
            return Response(
                status: .created, headers: [.contentType: "application/json", .location: "/notes/\(run)"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"run":\#(run)}"#))
            )
        }
        do {
            try await Application(router: router).test(.router) { client in try await body(client, runs) }
        } catch {
            await redis.shutdown()
            throw error
        }
        await redis.shutdown()
    }

    static func post(
        _ client: some TestClientProtocol, key: String?, body: String, token: String
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let key { headers[Self.key] = key }
        let response = try await client.execute(uri: "/notes", method: .post, headers: headers, body: ByteBuffer(string: body))
        return (response.status, response.headers, String(buffer: response.body))
    }

    @Test("a retry with the same key replays the first response; the handler runs once")
    func replay() async throws {
        try await Self.withApplication { client, runs in
            let token = try TestTokens.token()
            let key = UUID().uuidString
            let first = try await Self.post(client, key: key, body: #"{"title":"a"}"#, token: token)
            let second = try await Self.post(client, key: key, body: #"{"title":"a"}"#, token: token)
            #expect(first.status == .created && second.status == .created)
            #expect(first.body == #"{"run":1}"# && second.body == first.body)
            #expect(second.headers[.location] == "/notes/1")
            #expect(second.headers[IdempotencyMiddleware.replayedField] == "true")
            #expect(first.headers[IdempotencyMiddleware.replayedField] == nil)
            #expect(runs.value == 1)
            // Without a key, or with another key, the request runs again.
            _ = try await Self.post(client, key: nil, body: #"{"title":"a"}"#, token: token)
            _ = try await Self.post(client, key: UUID().uuidString, body: #"{"title":"a"}"#, token: token)
            #expect(runs.value == 3)
        }
    }

    @Test("the same key for a different body is 422; a malformed key is 422; keys are per caller")
    func misuse() async throws {
        try await Self.withApplication { client, runs in
            let token = try TestTokens.token()
            let key = UUID().uuidString
            #expect(try await Self.post(client, key: key, body: #"{"title":"a"}"#, token: token).status == .created)
            let reused = try await Self.post(client, key: key, body: #"{"title":"b"}"#, token: token)
            #expect(reused.status == .unprocessableContent)
            #expect(reused.body.contains("idempotency_key_reused"))
            #expect(try await Self.post(client, key: "has space", body: #"{"title":"a"}"#, token: token).status == .unprocessableContent)
            // Another organization using the same key value is a different request altogether.
            let other = try await Self.post(client, key: key, body: #"{"title":"a"}"#, token: try TestTokens.token(TestTokens.claims(tenant: .random())))
            #expect(other.status == .created && other.body == #"{"run":2}"#)
            #expect(runs.value == 2)
        }
    }

    @Test("a retry while the first request runs is 409 with Retry-After; failures are not kept")
    func concurrentAndFailures() async throws {
        try await Self.withApplication { client, runs in
            let token = try TestTokens.token()
            let key = UUID().uuidString
            async let slow = Self.post(client, key: key, body: #"{"sleepMs":"600"}"#, token: token)
            try await Task.sleep(for: .milliseconds(200))
            let during = try await Self.post(client, key: key, body: #"{"sleepMs":"600"}"#, token: token)
            #expect(during.status == .conflict)
            #expect(during.headers[.retryAfter] == "1")
            #expect(try await slow.status == .created)
            #expect(runs.value == 1)

            let failing = UUID().uuidString
            #expect(try await Self.post(client, key: failing, body: #"{"fail":"validation"}"#, token: token).status == .unprocessableContent)
            // The failed attempt released its key: the same key may now carry the corrected request.
            #expect(try await Self.post(client, key: failing, body: #"{"title":"fixed"}"#, token: token).status == .created)
            #expect(runs.value == 2)
        }
    }

    @Test("with Redis unreachable a keyed POST is refused with 503 rather than run unprotected")
    func storeDown() async throws {
        try await Self.withApplication(redisURL: "redis://127.0.0.1:\(FreePort.find())") { client, runs in
            let token = try TestTokens.token()
            let keyed = try await Self.post(client, key: UUID().uuidString, body: #"{"title":"a"}"#, token: token)
            #expect(keyed.status == .serviceUnavailable)
            #expect(runs.value == 0)
            #expect(try await Self.post(client, key: nil, body: #"{"title":"a"}"#, token: token).status == .created)
        }
    }
}
