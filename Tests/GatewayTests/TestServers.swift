import ERPCrypto
import ERPTestSupport
import Foundation

/// Builders for the processes the gateway tests run.
enum TestServers {
    /// An erp-test-upstream instance on a free port, started.
    static func upstream(
        name: String, jwksFile: String? = nil, garbagePort: Int? = nil, arguments extra: [String] = [], port: Int = FreePort.find()
    ) async throws -> ChildProcess {
        var arguments = [TestBinaries.upstream, "--port", String(port), "--name", name] + extra
        if let jwksFile { arguments += ["--jwks-file", jwksFile] }
        if let garbagePort { arguments += ["--garbage-port", String(garbagePort)] }
        let process = ChildProcess(
            arguments: arguments, environment: [:], port: port, name: "upstream-\(name)", listeningIsLive: extra.contains("--tls-cert"))
        try await process.start()
        return process
    }

    /// An erp-gateway on a free port with `environment` on top of quiet test defaults, started.
    static func gateway(_ environment: [String: String]) async throws -> ChildProcess {
        let port = FreePort.find()
        var env: [String: String] = [
            "HTTP_PORT": String(port), "LOG_LEVEL": "warning", "GATEWAY_ACCESS_LOG": "off", "GATEWAY_AUTH": "off",
            "GATEWAY_RATE_LIMIT": "off", "GATEWAY_HEALTH_INTERVAL_MS": "0",
        ]
        env.merge(environment) { _, new in new }
        // The suite's services' URLs (and the broker) from a developer's shell must not leak into a test gateway.
        for name in ["KAFKA_BOOTSTRAP_SERVERS", "AUTH_URL", "CRM_URL", "SUBSCRIPTION_URL", "HRM_URL", "FINANCE_URL", "INVENTORY_URL", "PROJECT_URL", "NOTIFICATION_URL", "FILE_URL", "AI_URL"]
        where env[name] == nil {
            env[name] = ""
        }
        let process = ChildProcess(arguments: [TestBinaries.gateway], environment: env, port: port, name: "gateway")
        try await process.start()
        return process
    }

    static func url(_ process: ChildProcess) -> String { "http://127.0.0.1:\(process.port)" }

    /// The real erp-auth binary on a free port with its own schema (the stack's Redis and
    /// Kafka, fast password hashing), started.
    static func auth(schema: TestSchema, name: String) async throws -> ChildProcess {
        let port = FreePort.find()
        let auth = ChildProcess(
            arguments: [TestBinaries.auth],
            environment: [
                "HTTP_PORT": String(port), "POSTGRES_URL": schema.appURL, "POSTGRES_MIGRATION_URL": schema.ownerURL,
                "REDIS_URL": TestEnvironment.redisURL, "KAFKA_BOOTSTRAP_SERVERS": TestEnvironment.kafkaBootstrapServers,
                "AUTH_KEY_ENCRYPTION_KEY": Data(SecureRandom.bytes(count: 32)).base64EncodedString(), "AUTH_PASSWORD_HASH_LN": "10",
                "AUTH_REDIS_PREFIX": TestEnvironment.uniqueName(name), "LOG_LEVEL": "warning",
            ],
            port: port, name: name)
        try await auth.start()
        return auth
    }
}
