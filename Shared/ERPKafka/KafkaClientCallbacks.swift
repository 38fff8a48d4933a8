import CRdKafka
import Logging

/// The C callbacks every client registers. They capture nothing; each finds its
/// `KafkaClientContext` through the client's opaque pointer.
enum KafkaClientCallbacks {
    static func install(on conf: OpaquePointer) {
        // Without log.queue librdkafka calls this from its own threads; Logger is thread-safe.
        rd_kafka_conf_set_log_cb(conf) { client, level, facility, text in
            guard let client, let context = KafkaClientContext.from(rd_kafka_opaque(client)) else { return }
            context.logger.log(
                level: KafkaClientCallbacks.logLevel(syslogLevel: level),
                "librdkafka log",
                metadata: [
                    KafkaLogKey.client: .string(String(cString: rd_kafka_name(client))),
                    KafkaLogKey.facility: .string(facility.map { String(cString: $0) } ?? ""),
                    KafkaLogKey.text: .string(text.map { String(cString: $0) } ?? ""),
                ]
            )
        }
        // Served from rd_kafka_poll / rd_kafka_consumer_poll.
        rd_kafka_conf_set_error_cb(conf) { client, code, reason, opaque in
            guard let client, let context = KafkaClientContext.from(opaque) else { return }
            let error = rd_kafka_resp_err_t(rawValue: code)
            let reasonText = reason.map { String(cString: $0) } ?? ""
            if error == RD_KAFKA_RESP_ERR__FATAL {
                var text = [CChar](repeating: 0, count: 512)
                let underlying = rd_kafka_fatal_error(client, &text, text.count)
                let fatal = KafkaError(code: .fatal, message: String(cBuffer: text), rdKafkaCode: underlying.rawValue)
                context.recordFatal(fatal)
                context.logger.critical(
                    "Kafka client hit a fatal error",
                    metadata: [KafkaLogKey.errorCode: .stringConvertible(underlying.rawValue), KafkaLogKey.error: .string(fatal.message)]
                )
            } else {
                // Broker down, transport errors and the like: librdkafka keeps retrying by itself.
                context.logger.warning(
                    "Kafka client error",
                    metadata: [KafkaLogKey.errorCode: .stringConvertible(code), KafkaLogKey.error: .string(reasonText)]
                )
            }
        }
    }

    /// Maps librdkafka's syslog levels onto swift-log's.
    static func logLevel(syslogLevel: Int32) -> Logger.Level {
        switch syslogLevel {
        case ...2: .critical
        case 3: .error
        case 4: .warning
        case 5: .notice
        case 6: .info
        default: .debug
        }
    }
}
