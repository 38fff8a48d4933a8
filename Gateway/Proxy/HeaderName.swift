/// Header names compared byte by byte, ignoring ASCII case, without the lowercase copy
/// `lowercased()` allocates: the proxy looks at every header of every request and response.
enum HeaderName {
    /// Whether `name` is `lowercase` (lowercase letters, digits and `-` only) in any ASCII case.
    @inline(__always)
    static func equals(_ name: String, _ lowercase: StaticString) -> Bool {
        guard name.utf8.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in name.utf8 {
                // `| 0x20` lowercases letters and leaves `-` and digits as they are (bytes that
                // would collide are control characters, which the HTTP parser refuses).
                guard byte | 0x20 == expected[index] else { return false }
                index += 1
            }
            return true
        }
    }

    /// What the proxy does with a header.
    enum Role {
        case forward
        /// Hop-by-hop (framing is redone on each side), or set by the gateway itself.
        case drop
        /// Requests: `X-Forwarded-*` and `Forwarded`, kept only behind a trusted load balancer.
        case forwardedFor, forwardedProto, forwardedHost, forwarded
        /// Responses: headers the gateway adds when the service did not.
        case requestID, contentLength
    }

    /// The role of a header of the client's request.
    static func requestRole(_ name: String) -> Role {
        switch name.utf8.count {
        case 2: return equals(name, "te") ? .drop : .forward
        case 6: return equals(name, "expect") ? .drop : .forward
        case 7: return equals(name, "trailer") || equals(name, "upgrade") ? .drop : .forward
        case 9: return equals(name, "forwarded") ? .forwarded : .forward
        case 10: return equals(name, "connection") || equals(name, "keep-alive") ? .drop : .forward
        case 11: return equals(name, "traceparent") ? .drop : .forward
        case 12: return equals(name, "x-request-id") ? .drop : .forward
        case 15: return equals(name, "x-forwarded-for") ? .forwardedFor : .forward
        case 16:
            if equals(name, "proxy-connection") { return .drop }
            return equals(name, "x-forwarded-host") ? .forwardedHost : .forward
        case 17: return equals(name, "x-forwarded-proto") ? .forwardedProto : .forward
        case 19: return equals(name, "proxy-authorization") ? .drop : .forward
        default: return .forward
        }
    }

    /// The role of a header of the upstream's response.
    static func responseRole(_ name: String) -> Role {
        switch name.utf8.count {
        case 2: return equals(name, "te") ? .drop : .forward
        case 7: return equals(name, "trailer") || equals(name, "upgrade") ? .drop : .forward
        case 10: return equals(name, "connection") || equals(name, "keep-alive") ? .drop : .forward
        case 12: return equals(name, "x-request-id") ? .requestID : .forward
        case 14: return equals(name, "content-length") ? .contentLength : .forward
        case 16: return equals(name, "proxy-connection") ? .drop : .forward
        case 17: return equals(name, "transfer-encoding") ? .drop : .forward
        default: return .forward
        }
    }
}
