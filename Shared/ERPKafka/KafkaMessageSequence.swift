/// The messages of a `KafkaConsumer`, pulled from librdkafka one `next()` at a time.
///
/// Ends when the consumer shuts down or the iterating task is cancelled; throws a `KafkaError`
/// when librdkafka reports a fatal error. Partition EOF and transient errors are only logged.
public struct KafkaMessageSequence: AsyncSequence, Sendable {
    public typealias Element = KafkaMessage

    let consumer: KafkaConsumer

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        private var isFinished = false

        init(consumer: KafkaConsumer) {
            self.consumer = consumer
        }

        public mutating func next() async throws -> KafkaMessage? {
            guard !isFinished else { return nil }
            do {
                if let message = try await consumer.nextMessage() {
                    return message
                }
                isFinished = true
                return nil
            } catch {
                isFinished = true
                throw error
            }
        }
    }
}
