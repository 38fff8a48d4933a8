import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail over SMTP (RFC 5321) on SwiftNIO: EHLO, STARTTLS (RFC 3207) or implicit TLS,
/// AUTH PLAIN/LOGIN (RFC 4954), then MAIL/RCPT/DATA per message over one connection.
///
/// One connection per `send` call: a batch of messages shares it; nothing is kept open
/// between batches, so a server restart or DNS change needs no reconnect logic.
struct SMTPClient: Sendable {
    let configuration: SMTPConfiguration
    let logger: Logger

    /// The outcome of each message, in order: the server's queue reply or why it failed.
    func send(_ messages: [MailMessage]) async -> [Result<String, SMTPError>] {
        do {
            return try await withTimeout(configuration.timeout) {
                try await self.session(messages)
            }
        } catch let error as SMTPError {
            return messages.map { _ in .failure(error) }
        } catch {
            return messages.map { _ in .failure(SMTPError(kind: .connection, message: String(describing: type(of: error)))) }
        }
    }

    private func session(_ messages: [MailMessage]) async throws -> [Result<String, SMTPError>] {
        let tls = try makeTLSContext()
        let configuration = configuration
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if configuration.security == .implicitTLS {
                            let handler = try NIOSSLClientHandler(context: tls, serverHostname: Self.sniHostname(configuration.host))
                            try channel.pipeline.syncOperations.addHandler(handler)
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError(kind: .connection, message: "cannot connect to \(configuration.host):\(configuration.port)")
        }
        return try await channel.executeThenClose { inbound, outbound in
            var conversation = SMTPConversation(
                reader: SMTPReplyReader(inbound.makeAsyncIterator()), outbound: outbound, channel: channel.channel,
                configuration: configuration, tls: tls, encrypted: configuration.security == .implicitTLS
            )
            try await conversation.open()
            var results: [Result<String, SMTPError>] = []
            for message in messages {
                do {
                    results.append(.success(try await conversation.transmit(message)))
                } catch let error as SMTPError where error.kind != .connection {
                    results.append(.failure(error))
                    try await conversation.reset()
                }
            }
            try? await conversation.quit()
            return results
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !configuration.verifyCertificates { tls.certificateVerification = .none }
        if let caFile = configuration.caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw SMTPError(kind: .tls, message: "cannot read the CA file (SMTP_CA_FILE)")
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError(kind: .unsupported, message: "TLS is not available")
        }
    }

    /// SNI takes host names only, not IP literals.
    static func sniHostname(_ host: String) -> String? {
        host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? nil : host
    }

    private func withTimeout<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw SMTPError(kind: .connection, message: "timed out")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw SMTPError(kind: .connection, message: "timed out") }
            return first
        }
    }
}
