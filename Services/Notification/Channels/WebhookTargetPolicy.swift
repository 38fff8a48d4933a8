import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// Which URLs a tenant's webhook may point at. Without it a tenant could make the service POST
/// to the cloud metadata endpoint (169.254.169.254), to loopback admin ports or into the private
/// network (server-side request forgery). Checked at registration and again before every
/// attempt, since what a name resolves to can change after it was registered.
///
/// Every address the host resolves to must be public: one forbidden address refuses the URL, as
/// the HTTP client may pick any of them. A name re-resolved by the client between this check and
/// its connect (DNS rebinding with a zero TTL) is a residual risk; redirects, the easy bypass,
/// are not followed (`WebhookChannel`).
struct WebhookTargetPolicy: Sendable {
    /// Loopback, private and link-local targets allowed (`NOTIFICATION_WEBHOOK_ALLOW_PRIVATE`, development).
    let allowPrivate: Bool

    /// Why a URL is refused; the description is for the tenant (problem detail, delivery error).
    struct Refusal: Error, CustomStringConvertible, Equatable {
        let description: String
    }

    /// nil when the URL may be called.
    func refusal(for url: String) async -> Refusal? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            var host = components.host, !host.isEmpty
        else { return Refusal(description: "only http and https URLs are allowed") }
        if allowPrivate { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let addresses: [[UInt8]]
        do {
            addresses = try await Self.resolve(host)
        } catch {
            return Refusal(description: "the host \(host) does not resolve")
        }
        guard !addresses.isEmpty else { return Refusal(description: "the host \(host) does not resolve") }
        if addresses.contains(where: Self.isForbidden) {
            return Refusal(description: "the host \(host) is or resolves to a loopback, private, link-local, multicast or unspecified address")
        }
        return nil
    }

    /// Whether `address` (4 or 16 bytes) is not a public unicast address.
    static func isForbidden(_ address: [UInt8]) -> Bool {
        if address.count == 16 {
            // IPv4-mapped (::ffff:a.b.c.d) reaches the IPv4 address it carries.
            if address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xff, address[11] == 0xff {
                return isForbidden(Array(address[12..<16]))
            }
            if address.allSatisfy({ $0 == 0 }) { return true }  // ::
            if address[0..<15].allSatisfy({ $0 == 0 }) && address[15] == 1 { return true }  // ::1
            if address[0] & 0xfe == 0xfc { return true }  // fc00::/7 unique local
            if address[0] == 0xfe && address[1] & 0xc0 == 0x80 { return true }  // fe80::/10 link-local
            if address[0] == 0xff { return true }  // ff00::/8 multicast
            return false
        }
        guard address.count == 4 else { return true }
        let (a, b) = (address[0], address[1])
        return a == 0  // 0.0.0.0/8 "this network", incl. unspecified
            || a == 10  // 10/8
            || a == 127  // loopback
            || (a == 100 && b & 0xc0 == 64)  // 100.64/10 carrier-grade NAT, internal to providers
            || (a == 169 && b == 254)  // link-local, incl. the metadata endpoint 169.254.169.254
            || (a == 172 && b & 0xf0 == 16)  // 172.16/12
            || (a == 192 && b == 168)  // 192.168/16
            || a >= 224  // multicast 224/4, reserved 240/4, broadcast
    }

    /// The host's addresses (a literal is its own), resolved on NIO's thread pool: getaddrinfo blocks.
    private static func resolve(_ host: String) async throws -> [[UInt8]] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0 else { throw Refusal(description: "unresolvable") }
            defer { freeaddrinfo(list) }
            var addresses: [[UInt8]] = []
            var entry = list
            while let current = entry?.pointee {
                if current.ai_family == AF_INET, let raw = current.ai_addr {
                    var address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                } else if current.ai_family == AF_INET6, let raw = current.ai_addr {
                    var address = raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                }
                entry = current.ai_next
            }
            return addresses
        }
    }
}
