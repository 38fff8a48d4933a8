import ERPTestSupport
import Foundation
import NIOHTTP1
import Testing

/// `https://` upstreams: the gateway speaks TLS to the instance and verifies its certificate
/// (chain against `GATEWAY_UPSTREAM_CA_FILE`, and the host name or IP address).
@Suite("Gateway HTTPS upstreams")
struct UpstreamTLSTests {
    /// An erp-test-upstream serving HTTPS with `certificate`, and its port.
    static func secureUpstream(_ name: String, certificate: SelfSignedCertificate) async throws -> (ChildProcess, Int) {
        let port = FreePort.find()
        let upstream = try await TestServers.upstream(
            name: name, arguments: ["--tls-cert", certificate.certificate, "--tls-key", certificate.key], port: port)
        return (upstream, port)
    }

    @Test("requests and streamed bodies reach an https:// instance whose certificate the CA file vouches for, by IP or by name")
    func proxiesOverTLS() async throws {
        let certificate = try SelfSignedCertificate(commonName: "erp-test-upstream")
        defer { certificate.remove() }
        let (upstream, port) = try await Self.secureUpstream("secure", certificate: certificate)
        let gateway = try await TestServers.gateway([
            "GATEWAY_UPSTREAMS": "crm=https://127.0.0.1:\(port),file=https://localhost:\(port)",
            "GATEWAY_UPSTREAM_CA_FILE": certificate.certificate,
        ])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let base = TestServers.url(gateway)

        let echo = try await TestHTTP.request("\(base)/api/v1/crm/echo?x=1", headers: [("X-Probe", "tls")])
        #expect(echo.status == 200)
        #expect(echo.json["instance"] as? String == "secure")
        #expect(echo.json["uri"] as? String == "/v1/echo?x=1")
        // The name-verified instance (SNI "localhost") works the same.
        #expect(try await TestHTTP.request("\(base)/api/v1/file/echo").status == 200)
        // A body streamed through TLS arrives whole; the connection is kept and reused.
        let body = Data(repeating: 0x61, count: 3 * 1024 * 1024 + 17)
        for _ in 0..<3 {
            let sink = try await TestHTTP.request("\(base)/api/v1/crm/sink", method: .POST, body: body)
            #expect(sink.status == 200)
            #expect(sink.json["bytes"] as? Int == body.count)
        }
    }

    @Test("an instance whose certificate is not trusted is never sent the request: 502 bad_gateway")
    func refusesUntrustedCertificate() async throws {
        let certificate = try SelfSignedCertificate(commonName: "erp-test-upstream")
        defer { certificate.remove() }
        let (upstream, port) = try await Self.secureUpstream("untrusted", certificate: certificate)
        // System roots only: the self-signed certificate is not among them.
        let gateway = try await TestServers.gateway(["GATEWAY_UPSTREAMS": "crm=https://127.0.0.1:\(port)"])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let reply = try await TestHTTP.request("\(TestServers.url(gateway))/api/v1/crm/sink", method: .POST, body: Data("secret".utf8))
        #expect(reply.status == 502, "got \(reply.status) \(reply.problemCode ?? "-")")
        #expect(reply.problemCode == "bad_gateway")
    }
}
