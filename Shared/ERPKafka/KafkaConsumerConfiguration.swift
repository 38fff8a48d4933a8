/// Settings for a `KafkaConsumer` in a consumer group.
///
/// Offsets are never committed or stored automatically (`enable.auto.commit=false`,
/// `enable.auto.offset.store=false`): the caller commits a message after its handler succeeded.
public struct KafkaConsumerConfiguration: Sendable {
    /// Where a group with no committed offset starts reading a partition.
    public enum AutoOffsetReset: String, Sendable {
        case earliest, latest
    }

    /// How `acknowledge(_:)` moves the group's offset. Either way an offset moves only past a
    /// message the caller acknowledged, i.e. after its handler succeeded.
    public enum CommitMode: Sendable, Equatable {
        /// Each acknowledgement is a synchronous commit round trip to the broker.
        case synchronous
        /// Acknowledgements store the offset locally; librdkafka commits the stored offsets every
        /// `interval` and on close. A crash can redeliver up to one interval of messages, which an
        /// idempotent consumer (the inbox) absorbs, in exchange for no round trip per message.
        case periodic(interval: Duration)
    }

    public var bootstrapServers: String
    public var groupID: String
    public var topics: [String]
    public var clientID: String
    /// How long the group coordinator waits for heartbeats before it reassigns this member's
    /// partitions. A member that rejoins waits about this long, so keep it short (values under
    /// ~3.5 s hang against the dev broker).
    public var sessionTimeout: Duration
    public var heartbeatInterval: Duration
    public var autoOffsetReset: AutoOffsetReset
    public var commitMode: CommitMode
    /// How long the broker may hold a fetch waiting for data. librdkafka's 500 ms default is
    /// the delivery latency when a broker (like the dev broker) answers only at the deadline.
    public var fetchMaxWait: Duration
    /// Further librdkafka properties (for example `security.protocol`, `max.poll.interval.ms`).
    public var extra: [String: String]

    public init(
        bootstrapServers: String,
        groupID: String,
        topics: [String],
        clientID: String,
        sessionTimeout: Duration = .seconds(6),
        heartbeatInterval: Duration = .seconds(1),
        autoOffsetReset: AutoOffsetReset = .earliest,
        commitMode: CommitMode = .synchronous,
        fetchMaxWait: Duration = .milliseconds(50),
        extra: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.groupID = groupID
        self.topics = topics
        self.clientID = clientID
        self.sessionTimeout = sessionTimeout
        self.heartbeatInterval = heartbeatInterval
        self.autoOffsetReset = autoOffsetReset
        self.commitMode = commitMode
        self.fetchMaxWait = fetchMaxWait
        self.extra = extra
    }

    /// The librdkafka properties, in the order they are applied (later entries win).
    var properties: [(key: String, value: String)] {
        var result: [(key: String, value: String)] = [
            ("bootstrap.servers", bootstrapServers),
            ("group.id", groupID),
            ("client.id", clientID),
            ("session.timeout.ms", String(sessionTimeout.clampedMilliseconds)),
            ("heartbeat.interval.ms", String(heartbeatInterval.clampedMilliseconds)),
            ("auto.offset.reset", autoOffsetReset.rawValue),
            ("fetch.wait.max.ms", String(fetchMaxWait.clampedMilliseconds)),
            // A service's consumer usually starts before anyone produced to its topic (fresh
            // stack): let its subscription create the topic rather than wait for it to appear.
            // The broker's auto.create.topics.enable still has the last word.
            ("allow.auto.create.topics", "true"),
        ]
        result += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // At-least-once with the inbox: an offset moves only when the caller acknowledges it.
        switch commitMode {
        case .synchronous:
            result += [("enable.auto.commit", "false"), ("enable.auto.offset.store", "false")]
        case .periodic(let interval):
            result += [
                ("enable.auto.commit", "true"), ("enable.auto.offset.store", "false"),
                ("auto.commit.interval.ms", String(interval.clampedMilliseconds)),
            ]
        }
        return result
    }
}
