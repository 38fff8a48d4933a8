import Foundation
import Hummingbird
import HummingbirdTLS
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// erp-test-upstream: a small real HTTP service for the gateway's tests.
///
/// Arguments: `--port N --name NAME [--jwks-file PATH] [--garbage-port N] [--openapi-json] [--websocket-port N]
/// [--platform-secret S --entitlements-dir DIR] [--tls-cert PEM --tls-key PEM]`.
/// - `GET /v1/ping` answers a fixed small JSON body (the benchmark's cheap endpoint).
/// - `ANY /v1/echo…` answers JSON with the instance name, method, target and headers it saw.
/// - `GET /v1/slow?ms=N` answers after N ms; `GET /v1/bytes?n=N` streams N bytes.
/// - `POST|PUT /v1/sink` counts the streamed body without keeping it: `{"bytes": N}`.
/// - `GET /health/live` answers 200, or what `POST /admin/health?status=N` set.
/// - `GET /.well-known/jwks.json` serves the file given (re-read on each request).
/// - `GET /openapi.yaml` serves `TestOpenAPIDocuments.yaml`; with `--openapi-json` also
///   `GET /openapi.json` (`TestOpenAPIDocuments.json`).
/// - `--garbage-port` also listens there and answers anything with bytes that are not HTTP.
/// - `--websocket-port` also listens there: `GET /v1/socket…` upgrades to a WebSocket echo
///   (`WebSocketEchoServer`); `GET /v1/stats` counts its open sockets.
/// - `--platform-secret` with `--entitlements-dir`: a platform token grant and organizations'
///   entitlements from files (`PlanEndpoints`), as erp-auth and erp-subscription answer them.
/// - `--tls-cert` with `--tls-key`: HTTPS instead of HTTP on `--port`.
@main
struct TestUpstream {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func value(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let port = Int(value("--port") ?? "") ?? 0
        let name = value("--name") ?? "upstream"
        let jwksFile = value("--jwks-file")
        if let garbage = value("--garbage-port").flatMap(Int.init) {
            _ = try await GarbageServer.start(port: garbage)
        }
        let state = UpstreamState()
        if let webSocketPort = value("--websocket-port").flatMap(Int.init) {
            _ = try await WebSocketEchoServer.start(port: webSocketPort, state: state)
        }
        let router = Router()
        var plan: PlanEndpoints?
        if let secret = value("--platform-secret"), let directory = value("--entitlements-dir") {
            plan = PlanEndpoints(directory: directory, secret: secret, state: state)
        }
        addRoutes(to: router, name: name, jwksFile: jwksFile, state: state, echoTokenRoute: plan == nil)
        plan?.add(to: router)
        if arguments.contains("--openapi-json") {
            router.get("/openapi.json") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: TestOpenAPIDocuments.json)))
            }
        }
        let configuration = ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: name)
        if let certificate = value("--tls-cert"), let key = value("--tls-key") {
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            try await Application(router: router, server: try .tls(.http1(), tlsConfiguration: tls), configuration: configuration).runService()
        } else {
            try await Application(router: router, configuration: configuration).runService()
        }
    }

    static func addRoutes(to router: Router<BasicRequestContext>, name: String, jwksFile: String?, state: UpstreamState, echoTokenRoute: Bool = true) {
        router.get("/health/live") { _, _ in
            Response(status: .init(code: state.healthStatus.load(ordering: .relaxed)), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.post("/admin/health") { request, _ in
            state.healthStatus.store(request.uri.queryParameters.get("status", as: Int.self) ?? 200, ordering: .relaxed)
            return HTTPResponse.Status.noContent
        }
        let pong = ByteBuffer(string: #"{"pong":true}"#)
        router.get("/v1/ping") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: pong))
        }
        for method in [HTTPRequest.Method.get, .post, .put, .delete, .patch, .head] {
            router.on("/v1/echo", method: method) { request, _ in echo(request, name: name) }
            router.on("/v1/echo/**", method: method) { request, _ in echo(request, name: name) }
        }
        // The auth service's public endpoints, so the gateway's allow-list can be exercised.
        for path in ["/v1/sessions", "/v1/organizations", "/v1/tokens/refresh", "/v1/oauth/token", "/v1/password-reset"]
        where echoTokenRoute || path != "/v1/oauth/token" {
            router.post(RouterPath(path)) { request, _ in echo(request, name: name) }
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: TestOpenAPIDocuments.yaml)))
        }
        router.get("/v1/slow") { request, _ in
            let ms = request.uri.queryParameters.get("ms", as: Int.self) ?? 1000
            try await Task.sleep(for: .milliseconds(ms))
            return json(["slept": ms, "instance": name])
        }
        router.get("/v1/bytes") { request, _ in
            let total = request.uri.queryParameters.get("n", as: Int.self) ?? 0
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: ResponseBody(contentLength: total) { writer in
                let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
                var left = total
                while left > 0 {
                    let size = min(left, chunk.readableBytes)
                    try await writer.write(chunk.getSlice(at: 0, length: size)!)
                    left -= size
                }
                try await writer.finish(nil)
            })
        }
        let sink: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var count = 0
            for try await chunk in request.body { count += chunk.readableBytes }
            return json(["bytes": count, "instance": name])
        }
        router.post("/v1/sink", use: sink)
        router.put("/v1/sink", use: sink)
        router.get("/.well-known/jwks.json") { _, _ in
            state.jwksFetches.add(1, ordering: .relaxed)
            guard let jwksFile, let data = FileManager.default.contents(atPath: jwksFile) else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("/v1/stats") { _, _ in
            json([
                "jwksFetches": state.jwksFetches.load(ordering: .relaxed), "openSockets": state.openSockets.load(ordering: .relaxed),
                "entitlementFetches": state.entitlementFetches.load(ordering: .relaxed),
            ])
        }
    }

    static func echo(_ request: Request, name: String) -> Response {
        var headers: [String: String] = [:]
        for field in request.headers {
            let key = field.name.canonicalName
            headers[key] = headers[key].map { "\($0), \(field.value)" } ?? field.value
        }
        // HTTPTypes keeps `Host` as the request's authority, not among its fields.
        if let authority = request.head.authority { headers["host"] = authority }
        let object: [String: Any] = [
            "instance": name, "method": request.method.rawValue, "uri": request.uri.description, "headers": headers,
        ]
        return jsonObject(object)
    }

    static func json(_ object: [String: any Sendable]) -> Response {
        jsonObject(object)
    }

    static func jsonObject(_ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Counters and switches shared by the routes.
final class UpstreamState: Sendable {
    let healthStatus = Atomic<Int>(200)
    let jwksFetches = Atomic<Int>(0)
    let openSockets = Atomic<Int>(0)
    let entitlementFetches = Atomic<Int>(0)
}
