import Foundation
import NIOHTTP1

/// Header rewriting between client and upstream. Hop-by-hop headers (RFC 9110 §7.6.1) belong
/// to one connection and are never forwarded; framing is redone on each side by NIO's codecs.
enum ProxyHeaders {
    /// Hop-by-hop names plus those the gateway sets itself on the upstream request.
    private static let droppedFromRequest: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "expect",
        "x-request-id", "traceparent", "proxy-authorization",
    ]
    private static let forwardedNames: Set<String> = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded"]
    private static let droppedFromResponse: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
    ]

    /// The upstream request: same method, the mapped target, HTTP/1.1 keep-alive, the client's
    /// end-to-end headers (with `Transfer-Encoding` kept so the encoder re-chunks a chunked body),
    /// plus request id, trace context and `X-Forwarded-*`.
    static func upstreamRequest(
        from head: HTTPRequestHead, uri: String, requestID: String, traceparent: String, clientIP: String, trustForwarded: Bool
    ) -> HTTPRequestHead {
        let connectionTokens = tokens(of: head.headers, name: "connection")
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count + 6)
        var forwardedFor: String?
        var forwardedProto: String?
        for (name, value) in head.headers {
            let lowered = name.lowercased()
            if droppedFromRequest.contains(lowered) || connectionTokens.contains(lowered) { continue }
            if forwardedNames.contains(lowered) {
                guard trustForwarded else { continue }
                if lowered == "x-forwarded-for" { forwardedFor = forwardedFor.map { "\($0), \(value)" } ?? value; continue }
                if lowered == "x-forwarded-proto" { forwardedProto = value; continue }
            }
            headers.add(name: name, value: value)
        }
        headers.add(name: "x-request-id", value: requestID)
        headers.add(name: "traceparent", value: traceparent)
        headers.add(name: "x-forwarded-for", value: forwardedFor.map { "\($0), \(clientIP)" } ?? clientIP)
        headers.add(name: "x-forwarded-proto", value: forwardedProto ?? "http")
        if let host = head.headers.first(name: "host"), !trustForwarded || !head.headers.contains(name: "x-forwarded-host") {
            headers.add(name: "x-forwarded-host", value: host)
        }
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: uri, headers: headers)
    }

    /// The client response: the upstream's end-to-end headers, our request id and rate-limit
    /// headers, framed for the client (the server encoder's automatic framing is off, because
    /// it would add chunked framing to answers to HEAD).
    ///
    /// Returns whether the client connection must close after this response.
    static func clientResponse(
        from upstream: HTTPResponseHead, request: HTTPRequestHead, requestID: String, rateLimit: RateLimitStatus?,
        requestComplete: Bool
    ) -> (HTTPResponseHead, closeAfter: Bool) {
        let connectionTokens = tokens(of: upstream.headers, name: "connection")
        var headers = HTTPHeaders()
        headers.reserveCapacity(upstream.headers.count + 5)
        var hasRequestID = false
        for (name, value) in upstream.headers {
            let lowered = name.lowercased()
            if droppedFromResponse.contains(lowered) || connectionTokens.contains(lowered) { continue }
            if lowered == "x-request-id" { hasRequestID = true }
            headers.add(name: name, value: value)
        }
        if !hasRequestID { headers.add(name: "x-request-id", value: requestID) }
        if let rateLimit { add(rateLimit, to: &headers) }

        var closeAfter = !request.isKeepAlive || !requestComplete
        let status = upstream.status.code
        let bodyless = request.method == .HEAD || (100..<200).contains(status) || status == 204 || status == 304
        if !bodyless && !headers.contains(name: "content-length") {
            if request.version.major == 1 && request.version.minor >= 1 {
                headers.add(name: "transfer-encoding", value: "chunked")
            } else {
                // HTTP/1.0 without a length: the end of the body is the end of the connection.
                closeAfter = true
            }
        }
        if closeAfter {
            headers.add(name: "connection", value: "close")
        } else if request.version.minor == 0 {
            headers.add(name: "connection", value: "keep-alive")
        }
        return (HTTPResponseHead(version: request.version, status: upstream.status, headers: headers), closeAfter)
    }

    /// The client's `101`: the upstream's end-to-end headers (`Sec-WebSocket-Accept`,
    /// `Sec-WebSocket-Protocol`, …), the upgrade itself and our request id.
    static func switchingProtocols(from upstream: HTTPResponseHead, requestID: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in upstream.headers {
            let lowered = name.lowercased()
            if droppedFromResponse.contains(lowered) || lowered == "content-length" { continue }
            headers.add(name: name, value: value)
        }
        headers.add(name: "connection", value: "Upgrade")
        headers.add(name: "upgrade", value: upstream.headers.first(name: "upgrade") ?? "websocket")
        if !headers.contains(name: "x-request-id") { headers.add(name: "x-request-id", value: requestID) }
        return headers
    }

    static func add(_ status: RateLimitStatus, to headers: inout HTTPHeaders) {
        guard status.limit > 0 else { return }
        headers.add(name: "ratelimit-limit", value: String(status.limit))
        headers.add(name: "ratelimit-remaining", value: String(status.remaining))
        headers.add(name: "ratelimit-reset", value: String(status.resetSeconds))
    }

    private static func tokens(of headers: HTTPHeaders, name: String) -> Set<String> {
        var result: Set<String> = []
        for value in headers[name] {
            for token in value.split(separator: ",") {
                result.insert(token.trimmingCharacters(in: .whitespaces).lowercased())
            }
        }
        result.remove("close")
        result.remove("keep-alive")
        return result
    }
}
