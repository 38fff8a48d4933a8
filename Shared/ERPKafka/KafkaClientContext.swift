import Logging
import Synchronization

/// What librdkafka's C callbacks need, reached through the client's opaque pointer
/// (C callbacks cannot capture Swift context). The owning `KafkaClientHandle` keeps it alive
/// until after `rd_kafka_destroy`, the last point where callbacks can run.
final class KafkaClientContext: Sendable {
    let logger: Logger
    /// Set for producers: where delivery reports are routed.
    let deliveries: DeliveryRegistry?
    private let fatal = Mutex<KafkaError?>(nil)

    init(logger: Logger, deliveries: DeliveryRegistry? = nil) {
        self.logger = logger
        self.deliveries = deliveries
    }

    /// The fatal error librdkafka raised, if any; the client is unusable after one.
    var fatalError: KafkaError? {
        fatal.withLock { $0 }
    }

    func recordFatal(_ error: KafkaError) {
        fatal.withLock { current in
            if current == nil { current = error }
        }
    }

    /// The context registered as `rk`'s opaque pointer.
    static func from(_ opaque: UnsafeMutableRawPointer?) -> KafkaClientContext? {
        opaque.map { Unmanaged<KafkaClientContext>.fromOpaque($0).takeUnretainedValue() }
    }
}
