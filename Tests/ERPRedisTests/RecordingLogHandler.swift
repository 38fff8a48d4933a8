import Logging
import Synchronization

/// Keeps every log line (message plus metadata) in memory so tests can check what was logged.
struct RecordingLogHandler: LogHandler {
    final class Storage: Sendable {
        private let lines = Mutex<[String]>([])

        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    let storage: Storage
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        storage.append("\(event.level) \(event.message) \(merged)")
    }

    /// A logger at trace level writing into a fresh storage.
    static func makeLogger() -> (Logger, Storage) {
        let storage = Storage()
        let logger = Logger(label: "erp.redis.tests.recording") { _ in RecordingLogHandler(storage: storage) }
        return (logger, storage)
    }
}
