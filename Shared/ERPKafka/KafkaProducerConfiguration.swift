/// Settings for a `KafkaProducer`.
///
/// The producer is always idempotent (`enable.idempotence=true`, `acks=all`) and asks for a
/// delivery report per message; `extra` cannot turn that off.
public struct KafkaProducerConfiguration: Sendable {
    public var bootstrapServers: String
    public var clientID: String
    /// How long librdkafka keeps trying to deliver a message before `send` fails with `.timedOut`.
    public var deliveryTimeout: Duration
    /// How long librdkafka waits to batch messages before sending.
    public var linger: Duration
    /// Further librdkafka properties (for example `security.protocol`, `compression.type`).
    public var extra: [String: String]

    public init(
        bootstrapServers: String,
        clientID: String,
        deliveryTimeout: Duration = .seconds(30),
        linger: Duration = .milliseconds(5),
        extra: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.deliveryTimeout = deliveryTimeout
        self.linger = linger
        self.extra = extra
    }

    /// The librdkafka properties, in the order they are applied (later entries win).
    var properties: [(key: String, value: String)] {
        var result: [(key: String, value: String)] = [
            ("bootstrap.servers", bootstrapServers),
            ("client.id", clientID),
            ("linger.ms", String(linger.clampedMilliseconds)),
            ("delivery.timeout.ms", String(deliveryTimeout.clampedMilliseconds)),
        ]
        result += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // The outbox relies on these: no duplicates from retries, and a report only once all replicas have it.
        result += [("enable.idempotence", "true"), ("acks", "all"), ("delivery.report.only.error", "false")]
        return result
    }
}
