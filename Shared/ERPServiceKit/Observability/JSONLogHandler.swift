import Foundation
import Logging

/// Writes one JSON object per log line to stdout, the format log shippers expect from a container.
///
/// Metadata whose key names a credential is replaced with `[redacted]`: log messages are fixed
/// text with values in metadata, and this is the last line of defence if someone passes a token.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let sink: LogSink

    public init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil, sink: LogSink = .standardOutput) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        var object: [String: Any] = [
            "ts": Self.timestamp(),
            "level": event.level.rawValue,
            "logger": label,
            "msg": event.message.description,
        ]
        if let error = event.error {
            // The type, not the description: descriptions of driver errors may carry values.
            object["error.type"] = String(reflecting: type(of: error))
        }
        for (key, value) in merged {
            object[key] = Self.isSensitive(key) ? "[redacted]" : Self.jsonValue(value)
        }
        guard
            var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        line.append(UInt8(ascii: "\n"))
        sink.write(line)
    }

    static func isSensitive(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return ["password", "secret", "token", "authorization", "cookie", "apikey", "api_key", "credential"]
            .contains { lowered.contains($0) }
    }

    private static func jsonValue(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let string): return string
        case .stringConvertible(let convertible): return convertible.description
        case .array(let array): return array.map(jsonValue)
        case .dictionary(let dictionary):
            return dictionary.reduce(into: [String: Any]()) { result, entry in
                result[entry.key] = isSensitive(entry.key) ? "[redacted]" : jsonValue(entry.value)
            }
        }
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon))
    }
}

/// Where log lines go: stdout in production, a buffer in tests that check what was logged.
public struct LogSink: Sendable {
    private let writeLine: @Sendable (Data) -> Void

    public init(_ write: @escaping @Sendable (Data) -> Void) {
        self.writeLine = write
    }

    public static let standardOutput = LogSink { data in
        FileHandle.standardOutput.write(data)
    }

    func write(_ data: Data) { writeLine(data) }
}
