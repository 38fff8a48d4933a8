/// What a service passes on when it calls another: the request id and a child span of the
/// current trace, and — when acting for a user — the user's bearer token (otherwise the
/// service's own token from the client-credentials grant).
public struct CallerContext: Sendable {
    public var requestID: String
    public var trace: TraceContext
    public var bearerToken: String?

    public init(requestID: String = RequestID.generate(), trace: TraceContext = .newRoot(), bearerToken: String? = nil) {
        self.requestID = requestID
        self.trace = trace
        self.bearerToken = bearerToken
    }

    /// Acting for the user of an incoming request.
    public init(_ context: ERPRequestContext) {
        self.init(requestID: context.requestID, trace: context.trace, bearerToken: context.bearerToken)
    }
}
