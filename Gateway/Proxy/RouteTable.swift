import ERPServiceKit
import Foundation

/// Maps public paths to services: `/api/v1/<service>/<rest>` goes to `<service>` as
/// `/v1/<rest>`. Unversioned documents of a service keep their place: `<rest>` starting with
/// `.well-known/` or equal to `openapi.json`/`openapi.yaml` is forwarded as `/<rest>`. The
/// gateway's own `/.well-known/jwks.json` is the auth service's.
struct RouteTable: Sendable {
    enum Failure: Error, Equatable {
        case notFound
        case badPath
    }

    static let prefix = "/api/v1/"

    let services: [String: UpstreamService]
    let instances: [UpstreamInstance]
    let defaultTimeoutMilliseconds: Int64
    /// Sorted longest prefix first.
    let timeouts: [RouteTimeout]
    let publicRoutes: [PublicRoute]
    let sensitiveRoutes: [PublicRoute]

    init(configuration: GatewayConfiguration) {
        var services: [String: UpstreamService] = [:]
        var all: [UpstreamInstance] = []
        let breaker = CircuitBreaker.Configuration(
            failureThreshold: configuration.breakerFailureThreshold,
            coolDown: .milliseconds(configuration.breakerCoolDownMilliseconds)
        )
        for definition in configuration.upstreams {
            let instances = definition.instances.compactMap { try? InstanceAddress(url: $0) }.map { address in
                let instance = UpstreamInstance(id: all.count, service: definition.service, address: address, breaker: breaker)
                all.append(instance)
                return instance
            }
            services[definition.service] = UpstreamService(name: definition.service, instances: instances)
        }
        self.services = services
        self.instances = all
        self.defaultTimeoutMilliseconds = configuration.defaultTimeoutMilliseconds
        self.timeouts = configuration.routeTimeouts.sorted { $0.prefix.count > $1.prefix.count }
        self.publicRoutes = configuration.publicRoutes
        self.sensitiveRoutes = configuration.sensitiveRoutes
    }

    /// Resolves a request target (path and query, as received).
    func resolve(method: String, uri: String) -> Result<ResolvedRoute, Failure> {
        let path: Substring
        let query: Substring
        // Byte-wise throughout: `Character` searches and `String` comparisons are Unicode-aware
        // and showed in the per-request profile.
        if let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = uri[..<mark]
            query = uri[mark...]
        } else {
            path = uri[...]
            query = ""
        }
        // Dot segments (plain or percent-encoded) could make the service see a different path
        // from the one the allow-list and limits judged: refuse them outright.
        if Self.hasDotSegmentOrEncodedSlash(path) { return .failure(.badPath) }

        let serviceName: Substring
        let upstreamPath: String
        if path.utf8.elementsEqual("/.well-known/jwks.json".utf8) {
            serviceName = "auth"
            upstreamPath = String(path)
        } else {
            guard path.utf8.starts(with: Self.prefix.utf8) else { return .failure(.notFound) }
            let afterPrefix = path.dropFirst(Self.prefix.count)
            let slash = afterPrefix.utf8.firstIndex(of: UInt8(ascii: "/")) ?? afterPrefix.endIndex
            serviceName = afterPrefix[..<slash]
            let rest = slash < afterPrefix.endIndex ? afterPrefix[afterPrefix.index(after: slash)...] : ""
            if rest.utf8.starts(with: ".well-known/".utf8) || rest.utf8.elementsEqual("openapi.json".utf8)
                || rest.utf8.elementsEqual("openapi.yaml".utf8)
            {
                upstreamPath = "/" + rest
            } else {
                upstreamPath = rest.isEmpty ? "/v1" : "/v1/" + rest
            }
        }
        guard !serviceName.isEmpty, let service = services[String(serviceName)] else { return .failure(.notFound) }

        let isDocument = upstreamPath.utf8.elementsEqual("/openapi.json".utf8) || upstreamPath.utf8.elementsEqual("/openapi.yaml".utf8)
        let isPublic = isDocument || publicRoutes.contains { $0.matches(method: method, path: path) }
        let isSensitive = sensitiveRoutes.contains { $0.matches(method: method, path: path) }
        let timeout = timeouts.first { path.utf8.starts(with: $0.prefix.utf8) }?.milliseconds ?? defaultTimeoutMilliseconds
        return .success(
            ResolvedRoute(
                service: service, upstreamURI: upstreamPath + query, timeoutMilliseconds: timeout,
                isPublic: isPublic, isSensitive: isSensitive
            )
        )
    }

    static func hasDotSegmentOrEncodedSlash(_ path: Substring) -> Bool {
        // Most paths have no `%` and no segment starting with `.`: one pass over the bytes.
        var previous = UInt8(ascii: "/")
        var suspicious = false
        for byte in path.utf8 {
            if byte == UInt8(ascii: "%") || (byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/")) {
                suspicious = true
                break
            }
            previous = byte
        }
        guard suspicious else { return false }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            if segment == "." || segment == ".." { return true }
            guard segment.utf8.contains(UInt8(ascii: "%")) else { continue }
            let lowered = segment.lowercased()
            if lowered.contains("%2f") || lowered.contains("%5c") { return true }
            let decoded = String(segment).removingPercentEncoding
            if decoded == nil || decoded == "." || decoded == ".." { return true }
        }
        return false
    }
}
