/// What one attempt of a delivery came to.
struct ChannelOutcome: Sendable, Equatable {
    var succeeded: Bool
    var statusCode: Int?
    var error: String?
    /// Retrying cannot help (a 5xx SMTP reply, a 4xx from a webhook other than 408/429).
    var permanent = false
    var providerReference: String?

    static func sent(statusCode: Int? = nil, reference: String? = nil) -> ChannelOutcome {
        ChannelOutcome(succeeded: true, statusCode: statusCode, error: nil, providerReference: reference)
    }

    static func failed(_ error: String, statusCode: Int? = nil, permanent: Bool = false) -> ChannelOutcome {
        ChannelOutcome(succeeded: false, statusCode: statusCode, error: String(error.prefix(500)), permanent: permanent)
    }
}
