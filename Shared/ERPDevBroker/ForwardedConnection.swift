import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One client connection relayed to the upstream broker: a thread per direction copies bytes
/// with blocking reads (no busy loop) and passes end-of-stream on as a half-close, as TCP would.
final class ForwardedConnection: @unchecked Sendable {  // `finishedPumps` and the fds' lifetime are guarded by `lock`
    private let client: Int32
    private let upstream: Int32
    private let lock = NSLock()
    private var finishedPumps = 0
    private var isClosed = false
    private let onClose: @Sendable (ForwardedConnection) -> Void

    init(client: Int32, upstream: Int32, onClose: @escaping @Sendable (ForwardedConnection) -> Void) {
        self.client = client
        self.upstream = upstream
        self.onClose = onClose
    }

    func start() {
        Thread { [self] in pump(from: client, to: upstream) }.start()
        Thread { [self] in pump(from: upstream, to: client) }.start()
    }

    /// Tears both directions down; the pumps then see EOF or an error and finish.
    func abort() {
        lock.lock()
        defer { lock.unlock() }
        // Once closed, the numbers may already belong to another socket.
        guard !isClosed else { return }
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(upstream, Int32(SHUT_RDWR))
    }

    private func pump(from source: Int32, to destination: Int32) {
        let bufferSize = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer {
            buffer.deallocate()
            pumpFinished()
        }
        while true {
            let received = read(source, buffer, bufferSize)
            if received > 0 {
                guard writeAll(buffer, count: received, to: destination) else {
                    abort()
                    return
                }
            } else if received == 0 {
                // The sender is done; tell the other side, but keep the reverse direction open.
                shutdown(destination, Int32(SHUT_WR))
                return
            } else if errno != EINTR {
                abort()
                return
            }
        }
    }

    private func writeAll(_ buffer: UnsafeMutableRawPointer, count: Int, to destination: Int32) -> Bool {
        var offset = 0
        while offset < count {
            // MSG_NOSIGNAL: a peer that went away is an error to handle, not a SIGPIPE.
            let sent = send(destination, buffer + offset, count - offset, Int32(MSG_NOSIGNAL))
            if sent > 0 {
                offset += sent
            } else if sent < 0 && errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// The descriptors are closed only once both pumps are done, so neither can hit a reused fd.
    private func pumpFinished() {
        lock.lock()
        finishedPumps += 1
        let bothDone = finishedPumps == 2
        if bothDone {
            isClosed = true
            close(client)
            close(upstream)
        }
        lock.unlock()
        if bothDone {
            onClose(self)
        }
    }
}
