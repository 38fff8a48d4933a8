import NIOSSL

extension SMTPError {
    /// What a channel error means for the delivery: TLS failures (untrusted certificate, wrong
    /// name, no common protocol) are `.tls`, the rest `.connection`.
    static func classifying(_ error: any Error) -> SMTPError {
        switch error {
        case let error as SMTPError:
            return error
        case NIOSSLError.handshakeFailed:
            return SMTPError(kind: .tls, message: "handshake failed (an untrusted certificate, or no common protocol)")
        case NIOSSLError.unableToValidateCertificate:
            return SMTPError(kind: .tls, message: "the server's certificate could not be validated")
        case let error as NIOSSLError:
            return SMTPError(kind: .tls, message: "TLS failed (\(error))")
        case let error as NIOSSLExtraError:
            // failedToValidateHostname: a trusted certificate, but for another name or address.
            return SMTPError(kind: .tls, message: String(describing: error))
        case is BoringSSLError:
            return SMTPError(kind: .tls, message: "handshake failed (an untrusted certificate, or no common protocol)")
        default:
            return SMTPError(kind: .connection, message: "connection failed (\(type(of: error)))")
        }
    }
}
