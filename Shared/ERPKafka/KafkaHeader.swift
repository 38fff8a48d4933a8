/// One Kafka record header. Keys may repeat; a header may carry no value at all (`nil`),
/// which Kafka distinguishes from an empty value.
public struct KafkaHeader: Sendable, Hashable {
    public let key: String
    public let value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
