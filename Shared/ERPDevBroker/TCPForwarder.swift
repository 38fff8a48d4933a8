import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Listens on a fixed loopback port and relays every connection to one upstream address.
///
/// The mock cluster's port is ephemeral (not configurable in librdkafka 2.0.2), so clients
/// bootstrap through this fixed port. Kafka clients then follow the broker address the mock
/// advertises in its metadata (its real, ephemeral port on 127.0.0.1), so only the bootstrap
/// connection goes through the forwarder; everything after that talks to the mock directly.
final class TCPForwarder: @unchecked Sendable {  // `connections` and the flags are guarded by `lock`; the fds never change after init
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let listener: Int32
    private let wakeReader: Int32
    private let wakeWriter: Int32
    private let upstream: (address: sockaddr_storage, length: socklen_t)
    private let logger: Logger
    private let lock = NSLock()
    private var connections: [ObjectIdentifier: ForwardedConnection] = [:]
    private var isStarted = false
    private var isStopped = false
    private let acceptLoopExited = DispatchSemaphore(value: 0)

    /// Binds 127.0.0.1:`port` and resolves `upstream` (`host:port`); `start()` begins accepting.
    init(port: UInt16, upstream upstreamAddress: String, logger: Logger) throws {
        self.logger = logger
        upstream = try Self.resolve(upstreamAddress)
        listener = try Self.listen(on: port)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            close(listener)
            throw Failure(description: "could not create the wake-up pipe: \(String(cString: strerror(errno)))")
        }
        wakeReader = pipeEnds[0]
        wakeWriter = pipeEnds[1]
    }

    /// Starts the accept thread.
    func start() {
        lock.lock()
        defer { lock.unlock() }
        guard !isStarted else { return }
        isStarted = true
        Thread { [self] in
            acceptLoop()
            acceptLoopExited.signal()
        }.start()
    }

    /// Stops accepting, closes the listener and tears down every relayed connection.
    func stop() {
        lock.lock()
        let wasStarted = isStarted
        let wasStopped = isStopped
        isStopped = true
        lock.unlock()
        guard !wasStopped else { return }
        if wasStarted {
            var byte: UInt8 = 1
            _ = write(wakeWriter, &byte, 1)
            acceptLoopExited.wait()
        }
        close(listener)
        close(wakeReader)
        close(wakeWriter)
        lock.lock()
        let open = Array(connections.values)
        lock.unlock()
        for connection in open {
            connection.abort()
        }
    }

    /// Waits in poll() on the listener and the wake-up pipe, so stop() can interrupt it.
    private func acceptLoop() {
        var watched = [
            pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&watched, nfds_t(watched.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.error("forwarder poll failed", metadata: ["erp.devbroker.errno": .stringConvertible(errno)])
                return
            }
            if watched[1].revents != 0 { return }
            guard watched[0].revents != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                // Non-blocking listener: a connection that vanished before accept is not an error.
                if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED {
                    logger.warning("forwarder accept failed", metadata: ["erp.devbroker.errno": .stringConvertible(errno)])
                    usleep(100_000)  // e.g. out of descriptors: back off instead of spinning
                }
                continue
            }
            relay(client)
        }
    }

    private func relay(_ client: Int32) {
        Self.setNoDelay(client)
        let upstreamSocket = socket(Int32(upstream.address.ss_family), Int32(SOCK_STREAM.rawValue), 0)
        var address = upstream.address
        let connected = upstreamSocket >= 0 && withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstreamSocket, $0, upstream.length) == 0 }
        }
        guard connected else {
            logger.warning("forwarder could not reach the mock broker", metadata: ["erp.devbroker.errno": .stringConvertible(errno)])
            if upstreamSocket >= 0 { close(upstreamSocket) }
            close(client)
            return
        }
        Self.setNoDelay(upstreamSocket)
        let connection = ForwardedConnection(client: client, upstream: upstreamSocket) { [weak self] closed in
            self?.forget(closed)
        }
        lock.lock()
        guard !isStopped else {
            lock.unlock()
            close(client)
            close(upstreamSocket)
            return
        }
        connections[ObjectIdentifier(connection)] = connection
        lock.unlock()
        connection.start()
    }

    private func forget(_ connection: ForwardedConnection) {
        lock.lock()
        connections[ObjectIdentifier(connection)] = nil
        lock.unlock()
    }

    /// Kafka is request/response with small frames; Nagle plus delayed ACKs would add ~40 ms stalls.
    private static func setNoDelay(_ socket: Int32) {
        var enabled: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &enabled, socklen_t(MemoryLayout<Int32>.size))
    }

    private static func listen(on port: UInt16) throws -> Int32 {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw Failure(description: "socket() failed: \(String(cString: strerror(errno)))") }
        var reuse: Int32 = 1
        // A restart must not wait out TIME_WAIT of the previous run's connections.
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard bound, Glibc.listen(listener, 128) == 0 else {
            let reason = String(cString: strerror(errno))
            close(listener)
            throw Failure(description: "cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK)
        return listener
    }

    private static func resolve(_ hostAndPort: String) throws -> (address: sockaddr_storage, length: socklen_t) {
        guard let colon = hostAndPort.lastIndex(of: ":") else {
            throw Failure(description: "upstream address \(hostAndPort) has no port")
        }
        let host = String(hostAndPort[..<colon])
        let port = String(hostAndPort[hostAndPort.index(after: colon)...])
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, port, &hints, &results)
        guard status == 0, let first = results, let address = first.pointee.ai_addr else {
            throw Failure(description: "cannot resolve upstream \(hostAndPort): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(results) }
        var storage = sockaddr_storage()
        let length = first.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &storage) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(start: address, count: Int(length)))
        }
        return (storage, length)
    }
}
