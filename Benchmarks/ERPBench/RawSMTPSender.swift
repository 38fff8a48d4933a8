import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The reference for the notification benchmark: the least a sender can do per mail — one TCP
/// connection, EHLO, MAIL, RCPT, DATA with a small prepared message, QUIT — on blocking sockets,
/// no database, no templates.
struct RawSMTPSender {
    let host: String
    let port: Int

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func send(to address: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &addr.sin_addr)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect") }
        var reader = LineReader(fd: fd)
        try reader.expect("220")
        for (command, code) in [("EHLO bench.local", "250"), ("MAIL FROM:<bench@erp.local>", "250"), ("RCPT TO:<\(address)>", "250"), ("DATA", "354")] {
            try write(fd, command + "\r\n")
            try reader.expect(code)
        }
        try write(fd, "From: <bench@erp.local>\r\nTo: <\(address)>\r\nSubject: Welcome\r\nMessage-ID: <\(UUID().uuidString)@erp.local>\r\n\r\nHello, your organization is ready.\r\n.\r\n")
        try reader.expect("250")
        try write(fd, "QUIT\r\n")
    }

    private func write(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure(description: "send") }
            sent += n
        }
    }

    /// Reads replies, skipping the continuation lines of multi-line ones.
    private struct LineReader {
        let fd: Int32
        var buffer: [UInt8] = []

        mutating func expect(_ code: String) throws {
            while true {
                let line = try nextLine()
                guard line.hasPrefix(code) else { throw Failure(description: "unexpected reply \(line.prefix(60))") }
                if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] == " " { return }
            }
        }

        private mutating func nextLine() throws -> String {
            while true {
                if let end = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[..<end], as: UTF8.self).trimmingCharacters(in: .newlines)
                    buffer.removeSubrange(...end)
                    return line
                }
                var chunk = [UInt8](repeating: 0, count: 1024)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw Failure(description: "connection closed") }
                buffer += chunk[..<n]
            }
        }
    }
}
