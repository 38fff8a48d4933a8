/// Where a request came from, for sessions, throttling and the audit log.
struct ClientInfo: Sendable, Hashable {
    var ip: String
    var userAgent: String

    static let unknownIP = "unknown"
}
