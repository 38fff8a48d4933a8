import AsyncHTTPClient
import ERPTestSupport
import Foundation
import NIOCore
import Testing

/// The proxy against real upstream processes: routing, headers, streaming.
@Suite("Gateway proxy routing")
struct ProxyRoutingTests {
    @Test("routes /api/v1/<service>/<rest> to /v1/<rest>, balances instances, forwards ids and X-Forwarded-*")
    func routing() async throws {
        let first = try await TestServers.upstream(name: "one")
        let second = try await TestServers.upstream(name: "two")
        let gateway = try await TestServers.gateway([
            "GATEWAY_UPSTREAMS": "echo=\(TestServers.url(first))|\(TestServers.url(second))"
        ])
        defer { [first, second, gateway].forEach { $0.stop() } }
        let base = TestServers.url(gateway)

        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        let reply = try await TestHTTP.request(
            "\(base)/api/v1/echo/echo/items?limit=5", headers: [("X-Request-ID", "req-123"), ("traceparent", "00-\(traceID)-00f067aa0ba902b7-01")])
        #expect(reply.status == 200)
        #expect(reply.json["uri"] as? String == "/v1/echo/items?limit=5")
        let seen = reply.echoedHeaders
        #expect(seen["x-request-id"] == "req-123")
        #expect(reply.headers.first(name: "x-request-id") == "req-123")
        #expect(seen["traceparent"]?.hasPrefix("00-\(traceID)-") == true)
        #expect(seen["traceparent"]?.contains("00f067aa0ba902b7") == false, "the gateway starts its own span")
        #expect(seen["x-forwarded-for"] == "127.0.0.1")
        #expect(seen["x-forwarded-proto"] == "http")
        // The client's Host goes upstream as it was, so no X-Forwarded-Host repeats it.
        #expect(seen["host"] == String(base.dropFirst("http://".count)) && seen["x-forwarded-host"] == nil, "\(seen)")

        // A request id is generated when absent; a hostile one is replaced.
        let generated = try await TestHTTP.request("\(base)/api/v1/echo/echo", headers: [("X-Request-ID", "bad id\twith spaces")])
        let generatedID = try #require(generated.echoedHeaders["x-request-id"])
        #expect(generatedID != "bad id\twith spaces" && generatedID.count == 36)

        // Round robin over both instances.
        var instances: Set<String> = []
        for _ in 0..<10 {
            let each = try await TestHTTP.request("\(base)/api/v1/echo/echo")
            if let name = each.json["instance"] as? String { instances.insert(name) }
        }
        #expect(instances == ["one", "two"])

        // POST bodies arrive intact.
        let posted = try await TestHTTP.request("\(base)/api/v1/echo/sink", method: .POST, body: Data(repeating: 1, count: 12345))
        #expect(posted.json["bytes"] as? Int == 12345)

        let unknown = try await TestHTTP.request("\(base)/api/v1/nosuch/things")
        #expect(unknown.status == 404)
        #expect(unknown.problemCode == "route_not_found")
        let outside = try await TestHTTP.request("\(base)/elsewhere")
        #expect(outside.status == 404)
        let dotted = try await TestHTTP.request("\(base)/api/v1/echo/echo/%2e%2e/admin")
        #expect(dotted.status == 400)
        #expect(dotted.problemCode == "bad_request")
    }

    @Test("a 100 MB upload and a 100 MB download stream through without the gateway holding them")
    func streaming() async throws {
        let upstream = try await TestServers.upstream(name: "big")
        let gateway = try await TestServers.gateway(["GATEWAY_UPSTREAMS": "files=\(TestServers.url(upstream))"])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let size = 100 * 1024 * 1024

        // Warm up (first-use allocations), then take the baseline.
        _ = try await TestHTTP.request("\(TestServers.url(gateway))/api/v1/files/sink", method: .PUT, body: Data(repeating: 0, count: 1 << 20))
        let baseline = gateway.memory().rss

        var request = HTTPClientRequest(url: "\(TestServers.url(gateway))/api/v1/files/sink")
        request.method = .POST
        request.body = .stream(GeneratedBytes(count: size), length: .known(Int64(size)))
        let response = try await TestHTTP.client.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 1 << 20)
        #expect(response.status == .ok)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        #expect(json?["bytes"] as? Int == size)

        let download = try await TestHTTP.client.execute(
            HTTPClientRequest(url: "\(TestServers.url(gateway))/api/v1/files/bytes?n=\(size)"), timeout: .seconds(120))
        var received = 0
        for try await chunk in download.body { received += chunk.readableBytes }
        #expect(received == size)

        let peak = gateway.memory().peak
        // Streaming keeps a few socket buffers in flight; holding the body would add ~100 MB.
        #expect(peak - baseline < 32 * 1024 * 1024, "baseline \(baseline) peak \(peak)")
    }
}
