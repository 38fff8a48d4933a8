import Foundation

/// A plan's API allowance: requests per minute for the whole organization, across every
/// gateway replica.
public struct RateLimitAllowance: Codable, Sendable, Hashable {
    public var requestsPerMinute: Int

    public init(requestsPerMinute: Int) {
        self.requestsPerMinute = requestsPerMinute
    }
}
