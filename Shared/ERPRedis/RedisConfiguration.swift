import Foundation

/// Where and how `RedisPool` connects.
///
/// The password is kept out of `description`, `debugDescription` and `dump`, so a configuration
/// can be logged as is.
public struct RedisConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Host name or IP address (without IPv6 brackets).
    public let host: String
    /// TCP port; 6379 when the URL names none.
    public let port: Int
    /// Database selected with `SELECT` on every new connection; 0 when the URL names none.
    public let database: Int
    /// ACL user for `AUTH user password`; nil authenticates as the default user.
    public let username: String?
    /// Internal so that nothing outside the module can print it by accident.
    let password: String?
    /// Most connections the pool opens at once; further callers wait in FIFO order.
    public let poolSize: Int
    /// Limit for establishing a TCP connection.
    public let connectTimeout: Duration
    /// Limit for each blocking read or write of a command; blocking commands such as `BLPOP`
    /// must use a server-side timeout shorter than this.
    public let commandTimeout: Duration

    /// Parses `redis://[[user]:password@]host[:port][/db]`. Percent-escapes in the user and
    /// password are decoded. Throws `RedisError(.invalidConfiguration)` for anything else
    /// (another scheme, a query, a non-numeric database, a pool size or timeout not above zero).
    public init(
        url: String,
        poolSize: Int = 8,
        connectTimeout: Duration = .seconds(2),
        commandTimeout: Duration = .seconds(2)
    ) throws {
        // Messages name the offending part, never the URL: it may carry the password.
        func invalid(_ reason: String) -> RedisError { RedisError(.invalidConfiguration, reason) }

        guard let components = URLComponents(string: url) else { throw invalid("the Redis URL is not a URL") }
        guard components.scheme?.lowercased() == "redis" else {
            throw invalid("the Redis URL must use the redis:// scheme (TLS is not supported)")
        }
        guard components.query == nil, components.fragment == nil else {
            throw invalid("the Redis URL must not have a query or fragment")
        }

        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw invalid("the Redis URL has no host") }

        let port = components.port ?? 6379
        guard (1...65535).contains(port) else { throw invalid("the Redis port is out of range") }

        let path = components.path
        let database: Int
        if path.isEmpty || path == "/" {
            database = 0
        } else if path.hasPrefix("/"), let number = Int(path.dropFirst()), number >= 0 {
            database = number
        } else {
            throw invalid("the Redis database must be a non-negative number")
        }

        let username = components.user.flatMap { $0.isEmpty ? nil : $0 }
        let password = components.password.flatMap { $0.isEmpty ? nil : $0 }
        if username != nil, password == nil { throw invalid("a Redis username needs a password") }

        guard poolSize > 0 else { throw invalid("the Redis pool size must be at least 1") }
        guard connectTimeout > .zero, commandTimeout > .zero else {
            throw invalid("Redis timeouts must be greater than zero")
        }

        self.host = host
        self.port = port
        self.database = database
        self.username = username
        self.password = password
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// The URL with the password masked, e.g. `redis://app:***@cache:6379/2`.
    public var description: String {
        var credentials = ""
        if password != nil { credentials = "\(username ?? ""):***@" }
        let printedHost = host.contains(":") ? "[\(host)]" : host
        return "redis://\(credentials)\(printedHost):\(port)/\(database)"
    }

    public var debugDescription: String {
        "RedisConfiguration(\(description), poolSize: \(poolSize), connectTimeout: \(connectTimeout), commandTimeout: \(commandTimeout))"
    }

    /// Without this, `dump` would walk the stored properties and print the password.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "url": description,
            "poolSize": poolSize,
            "connectTimeout": connectTimeout,
            "commandTimeout": commandTimeout,
        ])
    }
}
