import ERPTestSupport
import Foundation
import Testing

/// WebSocket handshakes through the gateway to a real WebSocket echo server (SwiftNIO's upgrader
/// in erp-test-upstream), with a raw client: authentication (header or `access_token` query),
/// the 101 passed through, frames spliced both ways, closes propagated.
@Suite("Gateway WebSocket proxying")
struct WebSocketTests {
    @Test("an authenticated handshake becomes a tunnel: hello, echo of text and a 70 kB binary frame, close")
    func tunnel() async throws {
        try await withSetup { setup in
            let token = try setup.keys.token()
            for (target, headers) in [
                ("/api/v1/live/socket?x=1", [("Authorization", "Bearer \(token)")]),
                ("/api/v1/live/socket?access_token=\(token)&x=1", []),
            ] {
                try await TestWebSocketClient.withConnection(port: setup.gateway.port) { client in
                    let handshake = try await client.handshake(target, headers: headers)
                    #expect(handshake.status == 101)
                    #expect(handshake.headers["sec-websocket-accept"] == TestWebSocketClient.expectedAccept)
                    #expect(handshake.headers["upgrade"]?.lowercased() == "websocket")
                    #expect(handshake.headers["x-request-id"] != nil)

                    // What the service saw: the token (moved from the query to the header), not in the target.
                    let hello = try #require(try await client.readFrame())
                    let seen = try JSONSerialization.jsonObject(with: Data(hello.payload)) as? [String: String]
                    #expect(seen?["uri"] == "/v1/socket?x=1")
                    #expect(seen?["authorization"] == "Bearer \(token)")

                    try await client.send(text: "hello through the gateway")
                    #expect(try await client.readFrame() == .init(opcode: 0x1, payload: Array("hello through the gateway".utf8)))
                    let big = (0..<70_000).map { UInt8($0 % 251) }
                    try await client.send(opcode: 0x2, big)
                    #expect(try await client.readFrame() == .init(opcode: 0x2, payload: big))

                    try await client.send(opcode: 0x8, [0x03, 0xe8])
                    #expect(try await client.readFrame()?.opcode == 0x8)
                    #expect(try await client.readUntilClosed())
                }
            }
            // The gateway still answers plain HTTP afterwards.
            #expect(try await TestHTTP.request("\(TestServers.url(setup.gateway))/health/live").status == 200)
        }
    }

    @Test("handshakes without a valid token are 401; a refused upgrade is passed on; a client leaving closes the upstream side")
    func refusals() async throws {
        try await withSetup { setup in
            let token = try setup.keys.token()
            for (target, headers) in [
                ("/api/v1/live/socket", [(String, String)]()),
                ("/api/v1/live/socket?access_token=not.a.jwt", []),
                ("/api/v1/live/socket", [("Authorization", "Bearer \(try setup.keys.token(TestKeys.claims(expiresIn: -120)))")]),
            ] {
                try await TestWebSocketClient.withConnection(port: setup.gateway.port) { client in
                    let handshake = try await client.handshake(target, headers: headers)
                    #expect(handshake.status == 401, "\(target)")
                    #expect(handshake.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
                    #expect(try await client.readUntilClosed(), "no HTTP after an upgrade request: the gateway closes")
                }
            }
            // The upstream does not upgrade this path: its 404 comes through, then the connection closes.
            try await TestWebSocketClient.withConnection(port: setup.gateway.port) { client in
                let handshake = try await client.handshake("/api/v1/live/elsewhere", headers: [("Authorization", "Bearer \(token)")])
                #expect(handshake.status == 404)
                #expect(try await client.readUntilClosed())
            }
            // A client that just goes away (no close frame): the gateway closes the upstream side.
            try await TestWebSocketClient.withConnection(port: setup.gateway.port) { client in
                #expect(try await client.handshake("/api/v1/live/socket", headers: [("Authorization", "Bearer \(token)")]).status == 101)
                _ = try await client.readFrame()
            }
            var open = -1
            for _ in 0..<100 where open != 0 {
                open = try await TestHTTP.request("\(TestServers.url(setup.upstream))/v1/stats").json["openSockets"] as? Int ?? -1
                if open != 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(open == 0)
        }
    }

    @Test("a tunnel quiet for GATEWAY_WEBSOCKET_IDLE_TIMEOUT is closed on both sides; traffic either way keeps it open")
    func idleTimeout() async throws {
        try await withSetup(["GATEWAY_WEBSOCKET_IDLE_TIMEOUT": "3"]) { setup in
            let token = try setup.keys.token()
            try await TestWebSocketClient.withConnection(port: setup.gateway.port) { client in
                #expect(try await client.handshake("/api/v1/live/socket", headers: [("Authorization", "Bearer \(token)")]).status == 101)
                _ = try await client.readFrame()
                // 4 s of traffic, a message every 0.25 s: longer than the timeout, never quiet for it.
                var lastEcho = ContinuousClock.now
                for index in 0..<16 {
                    try await Task.sleep(for: .milliseconds(250))
                    do {
                        try await client.send(text: "still here \(index)")
                        guard let echo = try await client.readFrame() else { throw TestWebSocketClient.Closed() }
                        #expect(echo.text == "still here \(index)")
                        lastEcho = ContinuousClock.now
                    } catch {
                        // Only a stall of this process (the other suites load the 2 cores) may
                        // leave the tunnel quiet long enough to be closed meanwhile.
                        let quiet = ContinuousClock.now - lastEcho
                        #expect(quiet >= .milliseconds(2900), "closed after only \(quiet) without traffic: \(error)")
                        return
                    }
                }
                // Then silence: the gateway closes the client's side after about three seconds.
                let quietSince = ContinuousClock.now
                #expect(try await client.readUntilClosed())
                let quiet = ContinuousClock.now - quietSince
                #expect(quiet >= .milliseconds(2900) && quiet < .seconds(10), "closed after \(quiet)")
            }
            // …and the upstream's.
            var open = -1
            for _ in 0..<100 where open != 0 {
                open = try await TestHTTP.request("\(TestServers.url(setup.upstream))/v1/stats").json["openSockets"] as? Int ?? -1
                if open != 0 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(open == 0)
        }
    }

    struct Setup: Sendable {
        let keys: TestKeys
        let upstream: ChildProcess
        let gateway: ChildProcess
    }

    /// An upstream with a WebSocket port (service `live`) and a gateway with tokens checked;
    /// `body` runs within a functional deadline so a broken tunnel fails instead of hanging.
    private func withSetup(_ environment: [String: String] = [:], _ body: @escaping @Sendable (Setup) async throws -> Void) async throws {
        let keys = try TestKeys()
        let webSocketPort = FreePort.find()
        let upstream = try await TestServers.upstream(name: "live", jwksFile: keys.jwksFile, arguments: ["--websocket-port", String(webSocketPort)])
        let gateway = try await TestServers.gateway(
            [
                "GATEWAY_AUTH": "on", "AUTH_JWKS_URL": "\(TestServers.url(upstream))/.well-known/jwks.json",
                "GATEWAY_UPSTREAMS": "live=http://127.0.0.1:\(webSocketPort)",
            ].merging(environment) { _, new in new })
        defer { [upstream, gateway].forEach { $0.stop() } }
        let setup = Setup(keys: keys, upstream: upstream, gateway: gateway)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body(setup) }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                throw TimedOut()
            }
            try await group.next()
            group.cancelAll()
        }
    }

    struct TimedOut: Error {}
}
