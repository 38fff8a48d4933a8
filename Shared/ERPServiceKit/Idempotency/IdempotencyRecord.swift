import Foundation

/// What the idempotency store keeps under one key: first a claim while the original request
/// runs, then the response to replay. The fingerprint ties the key to one exact request, so a
/// client that reuses a key for a different body is told so instead of getting a stale answer.
struct IdempotencyRecord: Codable, Sendable, Equatable {
    enum State: String, Codable, Sendable {
        case pending
        case completed
    }

    struct StoredResponse: Codable, Sendable, Equatable {
        var status: Int
        /// Only the headers a replay needs (content type, location, ETag); tracing headers
        /// belong to the new request.
        var headers: [[String]]
        var body: Data
    }

    var state: State
    /// SHA-256 (hex) of method, path with query, and body.
    var fingerprint: String
    /// Random per claim, so only the request that claimed a key can complete or release it.
    var owner: String
    var response: StoredResponse?
}
