import Foundation
import Logging
import Synchronization

/// Installs the process-wide log handler once (swift-log allows a single bootstrap per process).
public enum LoggingBootstrap {
    private static let done = Mutex(false)

    /// JSON lines unless `format` is `text` (handy on a developer's terminal).
    public static func bootstrap(level: Logger.Level, format: LogFormat) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

/// How log lines are written.
public enum LogFormat: String, Sendable {
    case json
    case text
}
