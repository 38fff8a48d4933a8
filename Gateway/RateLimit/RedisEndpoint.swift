import Foundation

/// Where the rate limiter's Redis is: `redis://[[user]:password@]host[:port][/db]`. The
/// password never appears in `description`.
struct RedisEndpoint: Sendable, CustomStringConvertible {
    let host: String
    let port: Int
    let database: Int
    let username: String?
    let password: String?

    init(url: String) throws {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "redis",
            var host = components.host, !host.isEmpty
        else { throw GatewayConfiguration.Invalid(description: "REDIS_URL must be redis://[user:password@]host[:port][/db]") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host
        self.port = components.port ?? 6379
        let path = components.path
        self.database = path.count > 1 ? Int(path.dropFirst()) ?? 0 : 0
        self.username = components.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        self.password = components.password.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
    }

    var description: String { "redis://\(host):\(port)/\(database)" }
}
