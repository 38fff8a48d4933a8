import AsyncHTTPClient
import ERPProtocol
import Foundation
import NIOCore
import NIOHTTP1

/// Small HTTP helpers over AsyncHTTPClient for the gateway tests.
enum TestHTTP {
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2), read: .seconds(60))))

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: Data

        var json: [String: Any] {
            ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:]
        }

        var problemCode: String? {
            guard headers.first(name: "content-type") == ProblemDetails.contentType else { return nil }
            return json["code"] as? String
        }

        /// The headers the echo endpoint saw.
        var echoedHeaders: [String: String] {
            (json["headers"] as? [String: String]) ?? [:]
        }
    }

    static func request(
        _ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: Data? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: collected))
    }

    static func isLive(port: Int) async -> Bool {
        guard let reply = try? await request("http://127.0.0.1:\(port)/health/live") else { return false }
        return reply.status == 200
    }
}

/// `count` bytes in 64 KiB chunks, made as they are consumed (an upload that never sits in memory).
struct GeneratedBytes: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let count: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var left: Int
        let chunk = ByteBuffer(repeating: UInt8(ascii: "u"), count: 64 * 1024)

        mutating func next() async -> ByteBuffer? {
            guard left > 0 else { return nil }
            let size = Swift.min(left, chunk.readableBytes)
            left -= size
            return chunk.getSlice(at: 0, length: size)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(left: count) }
}
