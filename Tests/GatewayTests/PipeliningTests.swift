import ERPTestSupport
import Foundation
import NIOCore
import NIOPosix
import Testing

/// What the gateway does on the client connection without NIO's pipelining and error
/// handlers: HTTP/1.1 pipelining (answers in request order, even when an earlier one is slower)
/// and 400 for bytes that are not HTTP.
@Suite("Gateway pipelining and malformed requests")
struct PipeliningTests {
    @Test("pipelined requests are answered in order; a local answer waits for a slower proxied one before it")
    func pipelining() async throws {
        let upstream = try await TestServers.upstream(name: "one")
        let gateway = try await TestServers.gateway(["GATEWAY_UPSTREAMS": "echo=\(TestServers.url(upstream))"])
        defer { [upstream, gateway].forEach { $0.stop() } }
        let requests = [
            "GET /api/v1/echo/slow?ms=300 HTTP/1.1\r\nHost: g\r\n\r\n",
            "POST /api/v1/echo/echo/second HTTP/1.1\r\nHost: g\r\nContent-Length: 5\r\n\r\nhello",
            "GET /health/live HTTP/1.1\r\nHost: g\r\n\r\n",
            "GET /api/v1/echo/echo/fourth HTTP/1.1\r\nHost: g\r\n\r\n",
        ]
        let responses = try await RawConnection.exchange(port: gateway.port, send: requests.joined(), expecting: 4)
        #expect(responses.map(\.status) == [200, 200, 200, 200])
        #expect(responses[0].body.contains(#""slept":300"#))
        #expect(responses[1].body.contains("second") && responses[1].body.contains("POST"))
        #expect(responses[2].body.contains(#""status":"ok""#))
        #expect(responses[3].body.contains("fourth"))
        // Each answer keeps its own request id.
        #expect(Set(responses.compactMap { $0.headers["x-request-id"] }).count == 4)
    }

    @Test("bytes that are not HTTP get 400 bad_request and a close")
    func malformed() async throws {
        let gateway = try await TestServers.gateway([:])
        defer { gateway.stop() }
        let responses = try await RawConnection.exchange(port: gateway.port, send: "THIS IS NOT HTTP\r\n\r\n", expecting: 1)
        #expect(responses.first?.status == 400)
        #expect(responses.first?.headers["connection"] == "close")
        #expect(responses.first?.body.contains(#""code":"bad_request""#) == true)
    }

    /// A raw TCP client: writes bytes, reads `Content-Length`-framed responses until it has
    /// `expecting` of them or the connection closes.
    enum RawConnection {
        struct Response {
            let status: Int
            let headers: [String: String]
            let body: String
        }

        static func exchange(port: Int, send text: String, expecting count: Int) async throws -> [Response] {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
            return try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: text))
                var buffer = ByteBuffer()
                var responses: [Response] = []
                var iterator = inbound.makeAsyncIterator()
                while responses.count < count {
                    if let response = parse(&buffer) {
                        responses.append(response)
                        continue
                    }
                    guard var more = try await iterator.next() else { break }
                    buffer.writeBuffer(&more)
                }
                return responses
            }
        }

        private static func parse(_ buffer: inout ByteBuffer) -> Response? {
            let view = buffer.readableBytesView
            guard let end = view.firstRange(of: Array("\r\n\r\n".utf8)) else { return nil }
            let head = String(decoding: view[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = end.upperBound - view.startIndex
            guard buffer.readableBytes >= bodyStart + length else { return nil }
            buffer.moveReaderIndex(forwardBy: bodyStart)
            let body = buffer.readString(length: length) ?? ""
            let status = Int(head.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
            return Response(status: status, headers: headers, body: body)
        }
    }
}
