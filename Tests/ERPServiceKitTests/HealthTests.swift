import ERPPostgres
import ERPProtocol
import ERPRedis
import ERPServiceKit
import ERPTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Health and metrics endpoints")
struct HealthTests {
    @Test("ready is 200 when Postgres and Redis answer, 503 naming the one that does not")
    func readiness() async throws {
        let logger = Logger(label: "health-test")
        let postgres = PostgresPool(configuration: try PostgresConfiguration(url: TestEnvironment.postgresURL, poolSize: 1), logger: logger)
        let redis = RedisPool(configuration: try RedisConfiguration(url: TestEnvironment.redisURL, poolSize: 1), logger: logger)
        let deadPort = FreePort.find()
        let deadPostgres = PostgresPool(
            configuration: try PostgresConfiguration(url: "postgres://nobody@127.0.0.1:\(deadPort)/none", poolSize: 1, connectTimeout: .seconds(1)),
            logger: logger
        )
        defer {
            Task {
                await postgres.shutdown()
                await redis.shutdown()
                await deadPostgres.shutdown()
            }
        }

        let healthy = ServiceRouter.make(verifier: TestTokens.verifier, readiness: [.postgres(postgres), .redis(redis)])
        try await Application(router: healthy).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response throws in
                #expect(response.status == .ok)
                let report = try ERPJSON.decoder().decode(HealthReport.self, from: Data(buffer: response.body))
                #expect(report.status == .ok)
                #expect(report.checks["postgres"]?.status == .ok)
                #expect(report.checks["redis"]?.status == .ok)
            }
        }

        let broken = ServiceRouter.make(verifier: TestTokens.verifier, readiness: [.postgres(deadPostgres), .redis(redis)])
        try await Application(router: broken).test(.router) { client in
            try await client.execute(uri: "/health/ready", method: .get) { response throws in
                #expect(response.status == .serviceUnavailable)
                let report = try ERPJSON.decoder().decode(HealthReport.self, from: Data(buffer: response.body))
                #expect(report.status == .unavailable)
                #expect(report.checks["postgres"]?.status == .unavailable)
                #expect(report.checks["redis"]?.status == .ok)
                // The body names the dependency, never its address or credentials.
                #expect(!String(buffer: response.body).contains("\(deadPort)"))
            }
            try await client.execute(uri: "/health/live", method: .get) { response throws in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("metrics are served in the Prometheus format and count requests")
    func metrics() async throws {
        let registry = MetricsBootstrap.bootstrap()
        let router = ServiceRouter.make(verifier: TestTokens.verifier, metrics: registry)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response throws in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("hb_requests"))
                #expect(text.contains("/health/live"))
            }
        }
    }
}
