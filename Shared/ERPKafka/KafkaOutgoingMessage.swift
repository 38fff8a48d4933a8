/// A record to produce. The partition is chosen by librdkafka's partitioner from the key,
/// so records with the same key keep their order.
public struct KafkaOutgoingMessage: Sendable {
    public let topic: String
    public let key: [UInt8]?
    public let value: [UInt8]
    public let headers: [KafkaHeader]

    public init(topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}
