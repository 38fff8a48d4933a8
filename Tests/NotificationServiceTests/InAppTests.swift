import ERPProtocol
import ERPTestSupport
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import Synchronization
import Testing

@testable import NotificationService

@Suite("Notification: in-app notifications")
struct InAppTests {
    @Test("a WebSocket client receives an in-app notification as it is delivered")
    func webSocketStream() async throws {
        try await NotificationHarness.run(live: true) { harness in
            let organization = try await harness.signUp()
            let token = try harness.token(tenant: organization.tenant, user: organization.owner, permissions: NotificationHarness.userPermissions)
            let port = try #require(harness.client.port)
            let received = Mutex<[String]>([])
            let connected = Mutex(false)
            let client = Task {
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)\(NotificationStream.path)?access_token=\(token)", logger: Logger(label: "ws-test")) { inbound, _, _ in
                    connected.withLock { $0 = true }
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message { received.withLock { $0.append(text) } }
                        return
                    }
                }
            }
            let deadline = Date().addingTimeInterval(5)
            while !connected.withLock({ $0 }), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(connected.withLock { $0 })
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await harness.deliver(PreferenceTests.paymentFailed(organization.tenant)) == .handled)
            try await harness.sweep()
            while received.withLock({ $0.isEmpty }), Date() < deadline.addingTimeInterval(5) { try await Task.sleep(for: .milliseconds(20)) }
            client.cancel()
            let first = try #require(received.withLock { $0.first })
            let notification = try ERPJSON.decode(InAppNotification.self, from: Data(first.utf8))
            #expect(notification.title == "Payment of USD 29.00 failed")
            #expect(notification.eventType == EventType.Subscription.paymentFailed.rawValue)

            let unread = try await harness.send(.get, "/v1/notifications/unread-count", token: token)
            #expect(unread.text == #"{"unread":1}"#)
            let list = try await harness.send(.get, "/v1/notifications", token: token).decoded(Page<InAppNotification>.self)
            #expect(list.items.map(\.id) == [notification.id])
            #expect(try await harness.send(.post, "/v1/notifications/\(notification.id.uuidString.lowercased())/read", token: token).status == .noContent)
            #expect(try await harness.send(.get, "/v1/notifications/unread-count", token: token).text == #"{"unread":0}"#)
            let other = try harness.token(tenant: organization.tenant, permissions: NotificationHarness.userPermissions)
            #expect(try await harness.send(.post, "/v1/notifications/\(notification.id.uuidString.lowercased())/read", token: other).status == .notFound)
        }
    }

    @Test("a WebSocket without a valid token is refused")
    func webSocketNeedsToken() async throws {
        try await NotificationHarness.run(live: true) { harness in
            let port = try #require(harness.client.port)
            await #expect(throws: (any Error).self) {
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)\(NotificationStream.path)?access_token=nope", logger: Logger(label: "ws-test")) { _, _, _ in }
            }
        }
    }
}
