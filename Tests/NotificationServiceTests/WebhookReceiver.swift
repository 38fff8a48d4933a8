import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization

/// A tenant's webhook receiver on a real loopback port: answers 500 to the first `failures`
/// requests to /hooks, then 200, and keeps every request it got; /moved redirects to /hooks.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var body: [UInt8]
        var signature: String?
        var webhookID: String?
        var status: Int
    }

    private let failures: Int
    private let received = Mutex<[Received]>([])

    init(failures: Int) { self.failures = failures }

    var requests: [Received] { received.withLock { $0 } }

    func run(_ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hooks") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let status = self.received.withLock { list -> Int in
                let status = list.count < self.failures ? 500 : 200
                list.append(Received(body: Array(buffer: bytes), signature: request.headers[HTTPField.Name("ERP-Signature")!],
                                     webhookID: request.headers[HTTPField.Name("ERP-Webhook-Id")!], status: status))
                return status
            }
            return Response(status: .init(code: status))
        }
        // Sends the request on to /hooks: a client that follows redirects would deliver it there.
        router.post("/moved") { _, _ -> Response in
            Response(status: .temporaryRedirect, headers: [.location: "/hooks"])
        }
        try await Application(router: router).test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)/hooks")
        }
    }
}

extension Array where Element == UInt8 {
    init(buffer: ByteBuffer) {
        self = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }
}
