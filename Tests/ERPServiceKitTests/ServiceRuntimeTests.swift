import AsyncHTTPClient
import ERPPostgres
import ERPProtocol
import ERPServiceKit
import ERPTestSupport
import Foundation
import Hummingbird
import NIOCore
import Synchronization
import Testing

@Suite("Service runtime: migrations, readiness, graceful shutdown")
struct ServiceRuntimeTests {
    /// The port the runtime's server bound, handed over from `onServerRunning`.
    final class PortBox: Sendable {
        let value = Mutex<Int?>(nil)
    }

    @Test("migrates, serves, reports ready, and on shutdown finishes in-flight requests before stopping")
    func gracefulShutdown() async throws {
        let schema = try await TestSchema.create("runtime")
        defer { Task { try? await schema.drop() } }
        let runtime = try ServiceRuntime(
            configuration: ServiceConfiguration(
                service: .crm, port: 0, postgresURL: schema.appURL, postgresMigrationURL: schema.ownerURL, postgresPoolSize: 2,
                redisURL: TestEnvironment.redisURL, kafkaBootstrapServers: TestEnvironment.kafkaBootstrapServers,
                logFormat: .text, shutdownGracePeriod: .seconds(10)
            )
        )
        try await runtime.migrate(NotesSchema.migrations)
        // Migrating twice is a no-op (a second replica starting).
        try await runtime.migrate(NotesSchema.migrations)
        let tables = try await runtime.postgres!.query(
            "SELECT count(*)::int8 FROM information_schema.tables WHERE table_schema = \(schema.name) AND table_name IN ('outbox', 'inbox', 'notes')"
        )
        #expect(try tables.first!.decode(Int.self, at: 0) == 3)

        let router = runtime.makeRouter()
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(1))
            return "done"
        }
        // The relay and a consumer built by the runtime run as the service's background work.
        let topic = TestEnvironment.uniqueName("runtime_notes")
        let relay = try #require(runtime.makeOutboxRelay())
        let consumer = try #require(try runtime.makeEventConsumer(name: "notes", topics: [topic], handlers: [NoteCreatedHandler()]))
        let port = PortBox()
        let server = Task {
            try await runtime.run(router: router, services: [relay, consumer]) { bound in
                port.value.withLock { $0 = bound }
            }
        }
        #expect(await eventually(timeout: .seconds(20)) { port.value.withLock { $0 } != nil })
        let base = "http://127.0.0.1:\(try #require(port.value.withLock { $0 }))"
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }

        let ready = try await http.execute(HTTPClientRequest(url: base + "/health/ready"), timeout: .seconds(10))
        #expect(ready.status == .ok)
        let report = try ERPJSON.decoder().decode(HealthReport.self, from: Data(buffer: try await ready.body.collect(upTo: 1 << 16)))
        #expect(Set(report.checks.keys) == ["postgres", "redis", "kafka"])
        #expect(report.status == .ok)

        // A write goes out through the runtime's relay and comes back through its consumer.
        try await NotesRepository(pool: runtime.postgres!, topic: topic).create(tenant: .random(), title: "through the runtime")
        #expect(await eventually { consumer.counts.handled == 1 })

        // A request in flight when shutdown starts still gets its answer.
        async let slow = http.execute(HTTPClientRequest(url: base + "/slow"), timeout: .seconds(10))
        try await Task.sleep(for: .milliseconds(300))
        await runtime.requestShutdown()
        let response = try await slow
        #expect(response.status == .ok)
        #expect(String(buffer: try await response.body.collect(upTo: 1024)) == "done")

        try await server.value
        // Stopped: the port no longer accepts connections.
        await #expect(throws: (any Error).self) {
            _ = try await http.execute(HTTPClientRequest(url: base + "/health/live"), timeout: .seconds(2))
        }
    }
}
