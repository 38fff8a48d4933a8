/// The Kafka message key of an event: `"<tenantid>:<aggregate id>"`.
///
/// Kafka orders messages per partition and partitions by key, so every event about one
/// aggregate of one tenant is consumed in the order it was produced. The tenant is part of
/// the key because aggregate ids are only unique per tenant in some services.
public struct EventKey: Hashable, Sendable, CustomStringConvertible {
    /// The tenant that owns the aggregate.
    public let tenantID: TenantID
    /// The aggregate's id as written in the envelope `subject`.
    public let aggregateID: String

    /// A key for one aggregate of one tenant.
    public init(tenantID: TenantID, aggregateID: String) {
        self.tenantID = tenantID
        self.aggregateID = aggregateID
    }

    /// A key for an aggregate with a typed id.
    public init<Tag>(tenantID: TenantID, aggregateID: Identifier<Tag>) {
        self.init(tenantID: tenantID, aggregateID: aggregateID.description)
    }

    /// Parses a key read from a Kafka message; `nil` unless it is `<uuid>:<non-empty id>`.
    public init?(rawValue: String) {
        guard let colon = rawValue.firstIndex(of: ":"),
            let tenantID = TenantID(string: String(rawValue[..<colon]))
        else { return nil }
        let aggregateID = String(rawValue[rawValue.index(after: colon)...])
        guard !aggregateID.isEmpty else { return nil }
        self.init(tenantID: tenantID, aggregateID: aggregateID)
    }

    /// The key string to put on the Kafka message.
    public var rawValue: String { "\(tenantID):\(aggregateID)" }

    public var description: String { rawValue }
}
