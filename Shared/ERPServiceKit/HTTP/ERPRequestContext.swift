import ERPProtocol
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The request context every service's routes receive: request id, trace position and the
/// verified caller (once the authentication middleware ran).
public struct ERPRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `X-Request-ID` of this request (kept from the caller when well-formed, generated otherwise).
    public var requestID: String
    /// The span of this request; calls to other services and published events carry a child of it.
    public var trace: TraceContext
    /// The verified caller; nil on public routes.
    public var identity: Identity?
    /// The bearer token as presented, forwarded when this service calls another on the user's behalf.
    public var bearerToken: String?
    /// The peer's IP address (the gateway's, behind it; see the service's forwarded-for rule).
    public var remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.trace = .newRoot()
        self.identity = nil
        self.bearerToken = nil
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    public var requestDecoder: ERPRequestDecoder { ERPRequestDecoder() }
    public var responseEncoder: JSONEncoder { ERPJSON.encoder() }
}
