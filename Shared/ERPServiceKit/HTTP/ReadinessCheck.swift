import ERPKafka
import ERPPostgres
import ERPRedis

/// One dependency `/health/ready` must reach before the service takes traffic.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }

    public static func postgres(_ pool: PostgresPool) -> ReadinessCheck {
        ReadinessCheck(name: "postgres") { try await pool.ping() }
    }

    public static func redis(_ pool: RedisPool) -> ReadinessCheck {
        ReadinessCheck(name: "redis") { try await pool.ping() }
    }

    public static func kafka(_ producer: KafkaProducer) -> ReadinessCheck {
        ReadinessCheck(name: "kafka") { try await producer.checkConnection(timeout: .seconds(2)) }
    }
}
