import NIOCore
import NIOSSL

/// The command/reply exchange of one SMTP connection.
struct SMTPConversation {
    var reader: SMTPReplyReader
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any NIOCore.Channel
    let configuration: SMTPConfiguration
    let tls: NIOSSLContext
    var encrypted: Bool
    private var extensions: [String] = []

    init(
        reader: SMTPReplyReader, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, channel: any NIOCore.Channel,
        configuration: SMTPConfiguration, tls: NIOSSLContext, encrypted: Bool
    ) {
        self.reader = reader
        self.outbound = outbound
        self.channel = channel
        self.configuration = configuration
        self.tls = tls
        self.encrypted = encrypted
    }

    /// Greeting, EHLO, STARTTLS when configured, AUTH when credentials are given.
    mutating func open() async throws {
        try expect(try await reader.reply(), 220)
        try await hello()
        let offersTLS = extensions.contains("STARTTLS")
        switch configuration.security {
        case .startTLSRequired where !offersTLS:
            throw SMTPError(kind: .unsupported, message: "the server does not offer STARTTLS, which is required")
        case .startTLSRequired where offersTLS, .startTLSOptional where offersTLS:
            try expect(try await command("STARTTLS"), 220)
            try await startTLS()
            try await hello()
        default:
            break
        }
        if let username = configuration.username {
            try await authenticate(username: username, password: configuration.password ?? "")
        }
    }

    /// Sends one message; returns the server's acceptance text (often its queue id).
    mutating func transmit(_ message: MailMessage) async throws -> String {
        guard message.from.isValid, message.to.isValid else {
            throw SMTPError(kind: .rejected(code: 553), message: "invalid address")
        }
        try expect(try await command("MAIL FROM:<\(message.from.address)>\(extensions.contains("8BITMIME") ? " BODY=8BITMIME" : "")"), 250)
        let recipient = try await command("RCPT TO:<\(message.to.address)>")
        guard recipient.code == 250 || recipient.code == 251 else { throw rejection(recipient) }
        try expect(try await command("DATA"), 354)
        try await write(SMTPDotStuffing.stuff(MIMEWriter.render(message)) + ".\r\n")
        let accepted = try await reader.reply()
        try expect(accepted, 250)
        return accepted.text
    }

    mutating func reset() async throws {
        _ = try await command("RSET")
    }

    mutating func quit() async throws {
        _ = try await command("QUIT")
    }

    private mutating func hello() async throws {
        let reply = try await command("EHLO \(configuration.heloName)")
        try expect(reply, 250)
        extensions = reply.extensions
    }

    private mutating func startTLS() async throws {
        let tls = tls
        let hostname = SMTPClient.sniHostname(configuration.host)
        let handshake = try await channel.eventLoop.submit { [channel] in
            // First in the pipeline: every byte from now on goes through TLS.
            let handler = try NIOSSLClientHandler(context: tls, serverHostname: hostname)
            let promise = channel.eventLoop.makePromise(of: Void.self)
            try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            try channel.pipeline.syncOperations.addHandler(TLSHandshakeWaiter(promise: promise), position: .after(handler))
            return promise.futureResult
        }.get()
        do {
            try await handshake.get()
        } catch {
            throw SMTPError.classifying(error)
        }
        encrypted = true
    }

    private mutating func authenticate(username: String, password: String) async throws {
        guard encrypted || configuration.allowInsecureAuth else {
            throw SMTPError(kind: .unsupported, message: "refusing to send credentials without TLS")
        }
        let offered = extensions.first { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }?
            .dropFirst(5).split(separator: " ").map(String.init) ?? []
        let method = configuration.authMethod
            ?? (offered.contains("PLAIN") ? .plain : offered.contains("LOGIN") ? .login : nil)
        guard let method else { throw SMTPError(kind: .unsupported, message: "the server offers no AUTH PLAIN or LOGIN") }
        switch method {
        case .plain:
            let token = Base64.encode([0] + Array(username.utf8) + [0] + Array(password.utf8))
            try expectAuthentication(try await command("AUTH PLAIN \(token)"), 235)
        case .login:
            try expectAuthentication(try await command("AUTH LOGIN"), 334)
            try expectAuthentication(try await command(Base64.encode(Array(username.utf8))), 334)
            try expectAuthentication(try await command(Base64.encode(Array(password.utf8))), 235)
        }
    }

    /// An AUTH failure is the configuration's, not the message's: said so, so it is not taken for a bounce.
    private func expectAuthentication(_ reply: SMTPReply, _ code: Int) throws {
        guard reply.code == code else {
            throw SMTPError(kind: .authentication(code: reply.code), message: String(reply.text.prefix(300)))
        }
    }

    private mutating func command(_ line: String) async throws -> SMTPReply {
        try await write(line + "\r\n")
        return try await reader.reply()
    }

    private func write(_ text: String) async throws {
        do {
            try await outbound.write(ByteBuffer(string: text))
        } catch {
            throw SMTPError(kind: .connection, message: "connection lost while writing")
        }
    }

    private func expect(_ reply: SMTPReply, _ code: Int) throws {
        guard reply.code == code else { throw rejection(reply) }
    }

    private func rejection(_ reply: SMTPReply) -> SMTPError {
        SMTPError(kind: .rejected(code: reply.code), message: String(reply.text.prefix(300)))
    }
}
