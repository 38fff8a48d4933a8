/// Metadata keys for the wrapper's log lines (messages stay fixed text, values go here).
enum KafkaLogKey {
    static let client = "erp.kafka.client"
    static let topic = "erp.kafka.topic"
    static let partition = "erp.kafka.partition"
    static let offset = "erp.kafka.offset"
    static let errorCode = "erp.kafka.error.code"
    static let error = "erp.kafka.error"
    static let facility = "erp.kafka.log.facility"
    static let text = "erp.kafka.log.text"
    static let bootstrapServers = "erp.kafka.bootstrap"
    static let groupID = "erp.kafka.group"
}
