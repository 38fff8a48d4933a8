import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Finds loopback TCP ports nobody listens on, below the ephemeral range (32768+) so the
/// kernel will not hand the same port to an outgoing connection meanwhile.
///
/// A port is handed out once per test process: suites run in parallel, and two tests that drew
/// the same free port before either bound it would otherwise share one server (the loser's
/// process fails to bind, and its health check reaches the winner's).
public enum FreePort {
    private static let handedOut = Mutex<Set<Int>>([])

    public static func find(in range: ClosedRange<Int> = 20000...32000) -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: range)
            guard canBind(port) else { continue }
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        fatalError("no free port found in \(range)")
    }

    /// Whether something accepts TCP connections on the loopback `port` (a TLS server, whose
    /// health cannot be asked over plain HTTP; a server that speaks no HTTP at all).
    public static func isListening(_ port: Int) -> Bool {
        withLoopbackSocket(port) { fd, address, length in connect(fd, address, length) == 0 }
    }

    private static func canBind(_ port: Int) -> Bool {
        withLoopbackSocket(port) { fd, address, length in bind(fd, address, length) == 0 }
    }

    /// A new TCP socket and `127.0.0.1:port` for `body` (connect or bind); closed afterwards.
    private static func withLoopbackSocket(
        _ port: Int, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
    ) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
