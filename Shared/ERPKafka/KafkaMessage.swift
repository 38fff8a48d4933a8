import CRdKafka
import Foundation

/// A consumed record, copied out of librdkafka's buffers (so it outlives the poll that produced it).
public struct KafkaMessage: Sendable, Hashable {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    public let key: [UInt8]?
    public let value: [UInt8]
    public let headers: [KafkaHeader]
    /// The record's timestamp (create or log-append time), when the broker reported one.
    public let timestamp: Date?

    public init(
        topic: String,
        partition: Int32,
        offset: Int64,
        key: [UInt8]?,
        value: [UInt8],
        headers: [KafkaHeader] = [],
        timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The value of the first header named `key`; nil when there is none or it has no value.
    public func header(_ key: String) -> [UInt8]? {
        headers.first { $0.key == key }?.value ?? nil
    }
}

extension KafkaMessage {
    /// Copies a successfully consumed librdkafka message (its `err` must be NO_ERROR).
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let raw = message.pointee
        topic = String(cString: rd_kafka_topic_name(raw.rkt))
        partition = raw.partition
        offset = raw.offset
        key = raw.key.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        value = raw.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.len)) } ?? []
        headers = Self.copyHeaders(of: message)
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        timestamp = milliseconds >= 0 ? Date(timeIntervalSince1970: Double(milliseconds) / 1000) : nil
    }

    private static func copyHeaders(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        // The list stays owned by the message; NOENT just means the record has no headers.
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var headers: [KafkaHeader] = []
        headers.reserveCapacity(rd_kafka_header_cnt(list))
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let key = name.map { String(cString: $0) } ?? ""
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            headers.append(KafkaHeader(key: key, value: bytes))
            index += 1
        }
        return headers
    }
}
