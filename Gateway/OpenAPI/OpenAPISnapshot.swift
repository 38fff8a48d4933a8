import NIOCore

/// The merged document as served: JSON and the docs page, rendered once per refresh.
struct OpenAPISnapshot: Sendable {
    let json: ByteBuffer
    let html: ByteBuffer
    /// Services whose document could not be fetched (left out of this snapshot).
    let missing: [String]
    let createdAt: ContinuousClock.Instant
}
