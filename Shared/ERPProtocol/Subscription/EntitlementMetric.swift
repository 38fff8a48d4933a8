import Foundation

/// A metered or capped quantity of a plan.
public struct EntitlementMetric: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Active users (plus open invitations) of an organization.
    public static let users = EntitlementMetric(rawValue: "users")
    /// Bytes of stored files.
    public static let storageBytes = EntitlementMetric(rawValue: "storage_bytes")
    /// AI queries per billing period.
    public static let aiQueries = EntitlementMetric(rawValue: "ai_queries")
    /// Tokens consumed by AI queries per billing period.
    public static let aiTokens = EntitlementMetric(rawValue: "ai_tokens")
}
