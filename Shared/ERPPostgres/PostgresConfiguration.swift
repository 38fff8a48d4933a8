import CLibPQ
import Foundation

/// Where and how a `PostgresPool` connects.
///
/// Built from a `postgres://` or `postgresql://` URL (query parameters such as `sslmode` or
/// `options` are passed to libpq). The password is kept for connecting only: `description`,
/// errors and logs never contain it.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// The most connections the pool opens at once; further callers wait their turn.
    public var poolSize: Int
    /// How long opening one connection may take (libpq counts whole seconds, at least 2).
    public var connectTimeout: Duration
    /// How long a caller waits for a free connection before `PostgresError(.poolTimeout)`.
    public var checkoutTimeout: Duration = .seconds(10)
    /// Shown in `pg_stat_activity.application_name`; defaults to the process name.
    public var applicationName: String?

    public let user: String?
    public let host: String?
    public let port: String?
    public let database: String?

    private let url: String
    private let password: String?
    private let urlOptions: String?

    /// Parses `url`. Throws `PostgresError(.invalidConfiguration)` for anything that is not a
    /// well-formed PostgreSQL URL, or for a pool size below 1.
    public init(url: String, poolSize: Int = 10, connectTimeout: Duration = .seconds(5), applicationName: String? = nil) throws {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw PostgresError(code: .invalidConfiguration, message: "the database URL must start with postgres:// or postgresql://")
        }
        guard poolSize >= 1 else {
            throw PostgresError(code: .invalidConfiguration, message: "the pool size must be at least 1")
        }
        guard connectTimeout > .zero else {
            throw PostgresError(code: .invalidConfiguration, message: "the connect timeout must be positive")
        }
        // libpq's parser is the authority on what it will accept; its message may quote the URL,
        // so only a fixed text is reported.
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(code: .invalidConfiguration, message: "the database URL is malformed")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        self.url = url
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
        self.user = values["user"]
        self.host = values["host"] ?? values["hostaddr"]
        self.port = values["port"]
        self.database = values["dbname"]
        self.password = values["password"].flatMap { $0.isEmpty ? nil : $0 }
        self.urlOptions = values["options"]
    }

    /// `postgres://user@host:port/database`, without password or query parameters.
    public var description: String {
        let userPart = user.map { "\($0)@" } ?? ""
        let portPart = port.map { ":\($0)" } ?? ""
        return "postgres://\(userPart)\(host ?? "")\(portPart)/\(database ?? "")"
    }

    /// Keyword/value pairs for `PQconnectdbParams` (with `expand_dbname`: the URL comes first and
    /// later keywords override it).
    var connectionParameters: [(String, String)] {
        let seconds = connectTimeout.components.seconds + (connectTimeout.components.attoseconds > 0 ? 1 : 0)
        // UTC and ISO output make timestamp text unambiguous; hex is the bytea format decoded here.
        var sessionOptions = "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex -c IntervalStyle=postgres"
        if let urlOptions, !urlOptions.isEmpty { sessionOptions += " " + urlOptions }
        return [
            ("dbname", url),
            ("application_name", applicationName ?? ProcessInfo.processInfo.processName),
            ("connect_timeout", String(max(2, seconds))),
            ("client_encoding", "UTF8"),
            ("options", sessionOptions),
        ]
    }

    /// Removes the password from a libpq message, should libpq ever echo it.
    func redact(_ message: String) -> String {
        guard let password else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }
}
