import Foundation
import NIOHTTP1

/// What a request says about switching protocols. NIO's decoder stops parsing HTTP after any
/// request llhttp treats as an upgrade (`Upgrade` plus `Connection: upgrade`), so such a
/// connection can carry no further request: unless it becomes a tunnel, it is closed after the
/// answer.
enum WebSocketUpgrade {
    /// The request asks to switch protocols (any protocol).
    static func isUpgrade(_ head: HTTPRequestHead) -> Bool {
        guard head.headers.contains(name: "upgrade") else { return false }
        return head.headers["connection"].contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "upgrade" }
        }
    }

    /// A WebSocket opening handshake (RFC 6455 §4.1: GET, `Upgrade: websocket`).
    static func isWebSocket(_ head: HTTPRequestHead) -> Bool {
        head.method == .GET && isUpgrade(head)
            && head.headers["upgrade"].contains { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "websocket" } }
    }

    /// Splits `access_token` off a request target's query (browsers cannot set headers on a
    /// WebSocket, so the token may come there); the rest of the target is kept as sent.
    static func removingAccessToken(from uri: String) -> (uri: String, token: String?) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, nil) }
        var token: String?
        var kept: [Substring] = []
        for pair in uri[uri.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false) {
            if pair.hasPrefix("access_token=") {
                token = String(pair.dropFirst("access_token=".count)).removingPercentEncoding
            } else {
                kept.append(pair)
            }
        }
        let path = uri[..<mark]
        return (kept.isEmpty ? String(path) : path + "?" + kept.joined(separator: "&"), token)
    }
}
