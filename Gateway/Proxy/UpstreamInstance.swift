import ERPServiceKit
import NIOCore
import Synchronization

/// One running instance of a service, shared by every event loop: its address, its circuit
/// breaker and what the active health checks last concluded.
final class UpstreamInstance: Sendable {
    /// Dense index over all instances of all services (per-loop tables are arrays indexed by it).
    let id: Int
    let service: String
    let address: InstanceAddress
    /// The address as a socket address when the host is an IP literal: connecting then needs no
    /// name resolution (NIO resolves `host` on another thread for every connection otherwise).
    let socketAddress: SocketAddress?
    let breaker: CircuitBreaker
    private let healthy = Atomic<Bool>(true)

    init(id: Int, service: String, address: InstanceAddress, breaker: CircuitBreaker.Configuration) {
        self.id = id
        self.service = service
        self.address = address
        self.socketAddress = try? SocketAddress(ipAddress: address.host, port: address.port)
        self.breaker = CircuitBreaker(configuration: breaker)
    }

    /// False while active health checks have ejected the instance.
    var isHealthy: Bool { healthy.load(ordering: .relaxed) }

    func setHealthy(_ value: Bool) {
        healthy.store(value, ordering: .relaxed)
    }
}
