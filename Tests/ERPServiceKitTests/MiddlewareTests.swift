import ERPProtocol
import ERPServiceKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Service middleware")
struct MiddlewareTests {
    struct NoteInput: Decodable {
        let title: String
        let priority: Int
    }

    struct Boom: Error, CustomStringConvertible {
        var description: String { "secret internal detail: password=hunter2" }
    }

    static func makeApplication() -> some ApplicationProtocol {
        let router = ServiceRouter.make(verifier: TestTokens.verifier, publicPaths: PublicPaths.standard.adding(exact: ["/public/echo"]))
        router.post("/public/echo") { request, context -> String in
            let input = try await request.decode(as: [String: Int].self, context: context)
            return "\(input.count) \(context.identity?.tenantID.description ?? "anonymous")"
        }
        router.post("/notes") { request, context -> String in
            try context.require("crm.lead.read")
            let input = try await request.decode(as: NoteInput.self, context: context)
            return input.title
        }
        router.get("/whoami") { _, context -> String in
            try context.requireTenant().description
        }
        router.get("/admin") { _, context -> String in
            try context.require("crm.lead.delete")
            return "ok"
        }
        router.get("/boom") { _, _ -> String in
            throw Boom()
        }
        return Application(router: router)
    }

    static func problem(_ response: TestResponse) throws -> ProblemDetails {
        #expect(response.headers[.contentType] == ProblemDetails.contentType)
        return try ERPJSON.decoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
    }

    static func bearer(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)", .contentType: "application/json"]
    }

    @Test("malformed JSON is a 400 problem+json, not a 500")
    func malformedJSON() async throws {
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/notes", method: .post, headers: Self.bearer(try TestTokens.token()), body: ByteBuffer(string: "{\"title\": ")) { response throws in
                #expect(response.status == .badRequest)
                let problem = try Self.problem(response)
                #expect(problem.code == .malformedJSON)
                #expect(problem.status == 400)
            }
        }
    }

    @Test("a wrong type or missing field names the field")
    func fieldErrors() async throws {
        try await Self.makeApplication().test(.router) { client in
            let token = try TestTokens.token()
            try await client.execute(uri: "/notes", method: .post, headers: Self.bearer(token), body: ByteBuffer(string: #"{"title":"a","priority":"high"}"#)) { response throws in
                #expect(response.status == .unprocessableContent)
                let problem = try Self.problem(response)
                #expect(problem.code == .validationFailed)
                #expect(problem.errors?.map(\.field) == ["priority"])
            }
            try await client.execute(uri: "/notes", method: .post, headers: Self.bearer(token), body: ByteBuffer(string: #"{"priority":1}"#)) { response throws in
                let problem = try Self.problem(response)
                #expect(problem.errors?.map(\.field) == ["title"])
            }
        }
    }

    @Test("a body that is not JSON is refused with 415")
    func unsupportedMediaType() async throws {
        try await Self.makeApplication().test(.router) { client in
            var headers = Self.bearer(try TestTokens.token())
            headers[.contentType] = "text/plain"
            try await client.execute(uri: "/notes", method: .post, headers: headers, body: ByteBuffer(string: "hello")) { response throws in
                #expect(response.status == .unsupportedMediaType)
                #expect(try Self.problem(response).code == .unsupportedMediaType)
            }
        }
    }

    @Test("an unknown route is a 404 problem+json")
    func unknownRoute() async throws {
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/no/such/route", method: .get, headers: Self.bearer(try TestTokens.token())) { response throws in
                #expect(response.status == .notFound)
                #expect(try Self.problem(response).code == .routeNotFound)
            }
        }
    }

    @Test("an unexpected error is a bare 500 that leaks nothing")
    func internalError() async throws {
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/boom", method: .get, headers: Self.bearer(try TestTokens.token())) { response throws in
                #expect(response.status == .internalServerError)
                let body = String(buffer: response.body)
                #expect(!body.contains("hunter2"))
                #expect(!body.contains("secret"))
                #expect(try Self.problem(response).code == .internalError)
            }
        }
    }

    @Test(
        "bad tokens are refused with 401",
        arguments: ["missing", "expired", "forged", "alg-none", "unknown-kid", "wrong-audience", "garbage"]
    )
    func rejectedTokens(kind: String) async throws {
        let headers: HTTPFields
        switch kind {
        case "missing": headers = [:]
        case "expired": headers = Self.bearer(try TestTokens.token(TestTokens.claims(expiresIn: -3600)))
        case "forged": headers = Self.bearer(try TestTokens.forgedToken())
        case "alg-none": headers = Self.bearer(try TestTokens.unsignedToken())
        case "unknown-kid": headers = Self.bearer(try AccessTokenSigner(key: TestTokens.trustedKey, kid: "key-9").sign(TestTokens.claims()))
        case "wrong-audience": headers = Self.bearer(try TestTokens.token(TestTokens.claims(audience: "other")))
        default: headers = Self.bearer("not.a.jwt")
        }
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/whoami", method: .get, headers: headers) { response throws in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(try Self.problem(response).code == .unauthorized)
            }
        }
    }

    @Test("a valid token reaches the route with its tenant")
    func validToken() async throws {
        let tenant = TenantID.random()
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/whoami", method: .get, headers: Self.bearer(try TestTokens.token(TestTokens.claims(tenant: tenant)))) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == tenant.description)
            }
        }
    }

    @Test("a missing permission is a 403")
    func forbidden() async throws {
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/admin", method: .get, headers: Self.bearer(try TestTokens.token())) { response throws in
                #expect(response.status == .forbidden)
                #expect(try Self.problem(response).code == .forbidden)
            }
            let admin = try TestTokens.token(TestTokens.claims(perms: ["crm.*.*"]))
            try await client.execute(uri: "/admin", method: .get, headers: Self.bearer(admin)) { response throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("public routes need no token; health is public")
    func publicRoutes() async throws {
        try await Self.makeApplication().test(.router) { client in
            try await client.execute(uri: "/public/echo", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"a":1,"b":2}"#)) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "2 anonymous")
            }
            // A good token on a public route identifies the caller; a bad one is ignored, not refused.
            let tenant = TenantID.random()
            var headers = Self.bearer(try TestTokens.token(TestTokens.claims(tenant: tenant)))
            try await client.execute(uri: "/public/echo", method: .post, headers: headers, body: ByteBuffer(string: #"{"a":1}"#)) { response throws in
                #expect(String(buffer: response.body) == "1 \(tenant)")
            }
            headers[.authorization] = "Bearer \(try TestTokens.forgedToken())"
            try await client.execute(uri: "/public/echo", method: .post, headers: headers, body: ByteBuffer(string: #"{"a":1}"#)) { response throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "1 anonymous")
            }
            try await client.execute(uri: "/health/live", method: .get) { response throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("the request id is kept or generated, echoed, and the trace continues")
    func requestIDAndTrace() async throws {
        let parent = TraceContext.newRoot()
        try await Self.makeApplication().test(.router) { client in
            let headers: HTTPFields = [
                HTTPField.Name("X-Request-ID")!: "req-123", HTTPField.Name("traceparent")!: parent.traceparent,
            ]
            try await client.execute(uri: "/no/such/route", method: .get, headers: headers) { response throws in
                #expect(response.headers[HTTPField.Name("X-Request-ID")!] == "req-123")
                let trace = try #require(response.headers[HTTPField.Name("traceparent")!].flatMap(TraceContext.init(traceparent:)))
                #expect(trace.traceID == parent.traceID)
                #expect(trace.spanID != parent.spanID)
                #expect(try Self.problem(response).requestId == "req-123")
            }
            let injected: HTTPFields = [HTTPField.Name("X-Request-ID")!: "bad id\nwith newline"]
            try await client.execute(uri: "/health/live", method: .get, headers: injected) { response throws in
                let id = try #require(response.headers[HTTPField.Name("X-Request-ID")!])
                #expect(id != "bad id\nwith newline")
                #expect(UUID(uuidString: id) != nil)
            }
        }
    }
}
