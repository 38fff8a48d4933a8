import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Finds loopback TCP ports nobody listens on, below the ephemeral range (32768+) so the
/// kernel will not hand the same port to an outgoing connection meanwhile.
public enum FreePort {
    public static func find(in range: ClosedRange<Int> = 20000...32000) -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: range)
            if canBind(port) { return port }
        }
        fatalError("no free port found in \(range)")
    }

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
