import Foundation
import NIOHTTP1

/// Header rewriting between client and upstream. Hop-by-hop headers (RFC 9110 §7.6.1) belong
/// to one connection and are never forwarded; framing is redone on each side by NIO's codecs.
enum ProxyHeaders {
    /// The upstream request: same method, the mapped target, HTTP/1.1 keep-alive, the client's
    /// end-to-end headers (with `Transfer-Encoding` kept so the encoder re-chunks a chunked body),
    /// plus request id, trace context, `X-Forwarded-For` and `X-Forwarded-Proto`.
    static func upstreamRequest(
        from head: HTTPRequestHead, uri: String, requestID: String, traceparent: String, clientIP: String, trustForwarded: Bool
    ) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(head.headers.count + 5)
        var forwardedFor: String?
        var forwardedProto: String?
        var connectionValues: [String] = []
        for (name, value) in head.headers {
            switch HeaderName.requestRole(name) {
            case .drop:
                if HeaderName.equals(name, "connection") { connectionValues.append(value) }
                continue
            case .forward:
                headers.add(name: name, value: value)
            case .forwardedFor:
                if trustForwarded { forwardedFor = forwardedFor.map { "\($0), \(value)" } ?? value }
            case .forwardedProto:
                if trustForwarded { forwardedProto = value }
            case .forwardedHost:
                if trustForwarded { headers.add(name: name, value: value) }
            case .forwarded:
                if trustForwarded { headers.add(name: name, value: value) }
            case .requestID, .contentLength:
                headers.add(name: name, value: value)
            }
        }
        removeListed(in: connectionValues, from: &headers)
        headers.add(name: "x-request-id", value: requestID)
        headers.add(name: "traceparent", value: traceparent)
        headers.add(name: "x-forwarded-for", value: forwardedFor.map { "\($0), \(clientIP)" } ?? clientIP)
        headers.add(name: "x-forwarded-proto", value: forwardedProto ?? "http")
        // No `X-Forwarded-Host` of our own: the client's `Host` goes upstream unchanged, so it
        // would only repeat it (and every service parses every header of every request). One
        // from a trusted load balancer, which names a host we did not see, is kept above.
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
        var headers = HTTPHeaders()
        headers.reserveCapacity(upstream.headers.count + 5)
        var hasRequestID = false
        var hasContentLength = false
        var connectionValues: [String] = []
        for (name, value) in upstream.headers {
            switch HeaderName.responseRole(name) {
            case .drop:
                if HeaderName.equals(name, "connection") { connectionValues.append(value) }
                continue
            case .requestID:
                hasRequestID = true
            case .contentLength:
                hasContentLength = true
            case .forward, .forwardedFor, .forwardedProto, .forwardedHost, .forwarded:
                break
            }
            headers.add(name: name, value: value)
        }
        if !connectionValues.isEmpty {
            removeListed(in: connectionValues, from: &headers)
            hasRequestID = headers.contains(name: "x-request-id")
            hasContentLength = headers.contains(name: "content-length")
        }
        if !hasRequestID { headers.add(name: "x-request-id", value: requestID) }
        if let rateLimit { add(rateLimit, to: &headers) }

        var closeAfter = !request.isKeepAlive || !requestComplete
        let status = upstream.status.code
        let bodyless = request.method == .HEAD || (100..<200).contains(status) || status == 204 || status == 304
        if !bodyless && !hasContentLength {
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
        var hasRequestID = false
        for (name, value) in upstream.headers {
            switch HeaderName.responseRole(name) {
            case .drop, .contentLength: continue
            case .requestID: hasRequestID = true
            case .forward, .forwardedFor, .forwardedProto, .forwardedHost, .forwarded: break
            }
            headers.add(name: name, value: value)
        }
        headers.add(name: "connection", value: "Upgrade")
        headers.add(name: "upgrade", value: upstream.headers.first(name: "upgrade") ?? "websocket")
        if !hasRequestID { headers.add(name: "x-request-id", value: requestID) }
        return headers
    }

    static func add(_ status: RateLimitStatus, to headers: inout HTTPHeaders) {
        guard status.limit > 0 else { return }
        headers.add(name: "ratelimit-limit", value: String(status.limit))
        headers.add(name: "ratelimit-remaining", value: String(status.remaining))
        headers.add(name: "ratelimit-reset", value: String(status.resetSeconds))
    }

    /// Removes the headers a `Connection` header lists (hop-by-hop for this message; `close` and
    /// `keep-alive` are connection options, not names). Rare: most messages have no such list.
    private static func removeListed(in connectionValues: [String], from headers: inout HTTPHeaders) {
        for value in connectionValues {
            for token in value.split(separator: ",") {
                let name = token.trimmingCharacters(in: .whitespaces)
                if name.isEmpty || name.lowercased() == "close" || name.lowercased() == "keep-alive" { continue }
                headers.remove(name: name)
            }
        }
    }
}
