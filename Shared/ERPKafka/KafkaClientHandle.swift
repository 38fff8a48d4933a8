import CRdKafka
import Foundation

/// Owns one `rd_kafka_t` and the context its callbacks use.
///
/// Calls borrow the pointer through `withHandle`; `destroy()` refuses new borrowers, waits for
/// the current ones and only then frees the handle, so no call can run on a destroyed client.
final class KafkaClientHandle: @unchecked Sendable {  // `pointer` and `users` are only touched under `condition`
    enum Kind {
        case producer, consumer
    }

    let context: KafkaClientContext
    private let condition = NSCondition()
    private var pointer: OpaquePointer?
    private var users = 0

    /// Creates the client from `properties`; `configure` may set further callbacks on the conf.
    init(
        kind: Kind,
        properties: [(key: String, value: String)],
        context: KafkaClientContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws {
        self.context = context
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .configuration, message: "could not allocate a librdkafka configuration")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties where rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: .configuration, message: Self.describeRejected(key: key, reason: String(cBuffer: errorText)))
        }
        // Unretained: this handle keeps the context alive for as long as librdkafka can call back.
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        KafkaClientCallbacks.install(on: conf)
        configure(conf)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)  // rd_kafka_new takes ownership only on success
            throw KafkaError(code: .configuration, message: String(cBuffer: errorText))
        }
        pointer = handle
    }

    deinit {
        if let pointer {
            rd_kafka_destroy(pointer)
        }
    }

    /// Runs `body` with the live handle; returns nil once the handle was destroyed.
    func withHandle<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result? {
        condition.lock()
        guard let pointer else {
            condition.unlock()
            return nil
        }
        users += 1
        condition.unlock()
        defer {
            condition.lock()
            users -= 1
            if users == 0 { condition.broadcast() }
            condition.unlock()
        }
        return try body(pointer)
    }

    var isDestroyed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return pointer == nil
    }

    /// Frees the handle once no call borrows it. Blocking (librdkafka joins its threads):
    /// call it on a dedicated thread.
    func destroy() {
        condition.lock()
        let handle = pointer
        pointer = nil
        while users > 0 {
            condition.wait()
        }
        condition.unlock()
        if let handle {
            rd_kafka_destroy(handle)
        }
    }

    /// librdkafka echoes rejected values; keep them out of errors for properties that may hold secrets.
    private static func describeRejected(key: String, reason: String) -> String {
        let lowered = key.lowercased()
        let sensitive = ["password", "secret", "key", "token", "jaas"].contains { lowered.contains($0) }
        return sensitive ? "configuration property \(key) was rejected" : "configuration property \(key) was rejected: \(reason)"
    }
}
