import HTTPTypes
import Hummingbird

extension ERPRequestContext {
    /// The caller's IP address. Behind the gateway the TCP peer is the gateway, so with
    /// `trustForwardedFor` the last `X-Forwarded-For` hop — the one the gateway appended, which
    /// a client cannot forge — is the client. Services reachable without the gateway must not
    /// trust the header.
    public func clientIP(for request: Request, trustForwardedFor: Bool) -> String? {
        if trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty, last.count <= 64
        {
            return last
        }
        return remoteAddress
    }
}
