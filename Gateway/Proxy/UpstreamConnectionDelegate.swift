import NIOHTTP1

/// The request an upstream connection currently serves (the client side of the exchange).
protocol UpstreamConnectionDelegate: AnyObject {
    func upstreamReceived(_ part: HTTPClientResponsePart)
    func upstreamReadComplete()
    /// The connection failed or closed before the response ended.
    func upstreamFailed(_ error: any Error)
    func upstreamWritabilityChanged(isWritable: Bool)
}
