import ERPCrypto
import ERPKafka
import ERPPostgres
import ERPProtocol
import ERPTestSupport
import Foundation
import Logging

/// erp-notification, release binary: `erp.auth.organization.created` events published to Kafka
/// at a fixed offered rate → consumer (inbox) → planned delivery → scheduler → SMTP sink. Reports
/// events/s and event-to-sent latency (p50/p99, from the deliveries' own timestamps), against a
/// reference measured in the same run: raw SMTP sends (one connection per mail, as the service
/// does) from this process at the same offered rate, no Kafka, database or templates.
struct NotificationBenchmark {
    let rate = 100
    let seconds = 5

    struct Result {
        var throughput: Double
        var p50: Double
        var p99: Double
        var count: Int
    }

    func run() async throws {
        print("\n== notification: Kafka event → SMTP sink (\(rate) events/s offered for \(seconds) s, release erp-notification)")
        let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let service = binaries.appendingPathComponent("erp-notification").path
        guard FileManager.default.isExecutableFile(atPath: service) else {
            print("   skipped: erp-notification missing (bench.sh builds it)")
            return
        }
        guard let smtp = URLComponents(string: TestEnvironment.smtpURL), let host = smtp.host, let port = smtp.port else {
            print("   skipped: SMTP_URL is not smtp://host:port")
            return
        }
        defer { Self.removeBenchMail() }
        let reference = try await rawSMTP(host: host, port: port)
        let pipeline = try await serviceRun(binary: service)
        report("raw SMTP sends          ", reference)
        report("event → sent (service)  ", pipeline)
        print("   service / raw SMTP: throughput \(format(pipeline.throughput / max(reference.throughput, 0.001)))×, p99 \(format(pipeline.p99 / max(reference.p99, 0.001)))×")
    }

    /// The sink's Maildir is shared: remove the benchmark's own mails (recipients @bench.invalid) only.
    private static func removeBenchMail() {
        let directory = URL(fileURLWithPath: TestEnvironment.smtpMaildir).appendingPathComponent("new")
        for file in (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [] {
            guard let head = try? String(contentsOf: file, encoding: .utf8).prefix(4096),
                head.range(of: #"X-RcptTo: bench-[a-z0-9-]+@bench\.invalid"#, options: .regularExpression) != nil
            else { continue }
            try? FileManager.default.removeItem(at: file)
        }
    }

    private func report(_ label: String, _ result: Result) {
        print("   \(label) \(Int(result.throughput)) mails/s, p50 \(format(result.p50)) ms, p99 \(format(result.p99)) ms (\(result.count) mails)")
    }

    private func format(_ value: Double) -> String { String(format: "%.2f", value) }

    private static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    private func rawSMTP(host: String, port: Int) async throws -> Result {
        let sender = RawSMTPSender(host: host, port: port)
        let latencies = LatencyBox()
        let total = rate * seconds
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sequence in 0..<total {
                try await Task.sleep(until: start + .microseconds(Int64(sequence) * 1_000_000 / Int64(rate)), clock: .continuous)
                let scheduled = Date()
                group.addTask {
                    try await ProcessRunner.offloaded { try sender.send(to: "bench-raw-\(sequence)@bench.invalid") }
                    latencies.record(Date().timeIntervalSince(scheduled))
                }
            }
            try await group.waitForAll()
        }
        let result = latencies.result(elapsed: ContinuousClock.now - start)
        return Result(throughput: result.throughput, p50: result.p50, p99: result.p99, count: result.count)
    }

    private func serviceRun(binary: String) async throws -> Result {
        let schema = try await TestSchema.create("notifbench")
        defer { Task { try? await schema.drop() } }
        let topic = "bench." + TestEnvironment.uniqueName("notification")  // a dot: NOTIFICATION_TOPICS takes it as a topic name
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("erp-notification-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "notification-bench")
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: TestEnvironment.kafkaBootstrapServers, clientID: "notification-bench"), logger: logger)
        // A valid event no rule notifies about: the consumer's inbox shows when it has joined.
        let warmUp = EventEnvelope(type: EventType.Auth.sessionRevoked, tenantID: .random(), subject: "warm-up", data: JSONValue.object([:]))
        _ = try await producer.send(KafkaOutgoingMessage(topic: topic, key: nil, value: [UInt8](try ERPJSON.encode(warmUp))))
        let port = FreePort.find()
        let pid = try ProcessRunner.spawn([
            "/usr/bin/env", "HTTP_PORT=\(port)", "POSTGRES_URL=\(schema.appURL)", "POSTGRES_MIGRATION_URL=\(schema.ownerURL)",
            "KAFKA_BOOTSTRAP_SERVERS=\(TestEnvironment.kafkaBootstrapServers)", "SMTP_URL=\(TestEnvironment.smtpURL)",
            "NOTIFICATION_SECRET_KEY=\(Data(SecureRandom.bytes(count: 32)).base64EncodedString())",
            "NOTIFICATION_TOPICS=\(topic)", "NOTIFICATION_CONSUMER_NAME=\(TestEnvironment.uniqueName("bench"))", "LOG_LEVEL=warning", binary,
        ], output: directory.appendingPathComponent("notification.log").path)
        defer {
            kill(pid, SIGTERM)
            _ = ProcessRunner.wait(for: pid)
        }
        // The superuser of the test database: deliveries are tenant rows under forced RLS.
        let admin = PostgresPool(
            configuration: try PostgresConfiguration(url: TestEnvironment.postgresAdminTestDatabaseURL + "?options=-csearch_path%3D\(schema.name)", poolSize: 1),
            logger: logger
        )
        defer { Task { await admin.shutdown() } }
        let joined = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < joined {
            if (try? await admin.query("SELECT count(*) FROM inbox").first?.decode(Int.self, at: 0)) ?? 0 > 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }

        let total = rate * seconds
        let start = ContinuousClock.now
        for sequence in 0..<total {
            try await Task.sleep(until: start + .microseconds(Int64(sequence) * 1_000_000 / Int64(rate)), clock: .continuous)
            let tenant = TenantID.random()
            let event = EventEnvelope(
                type: EventType.Auth.organizationCreated, tenantID: tenant, subject: tenant.description,
                data: OrganizationCreated(organizationId: tenant, name: "Bench \(sequence)", slug: "bench-\(sequence)", ownerUserId: .random(),
                                          ownerEmail: "bench-\(sequence)@bench.invalid", ownerName: "Bench Owner", requestedPlan: "free", locale: "en")
            )
            Task { _ = try? await producer.send(KafkaOutgoingMessage(topic: topic, key: Array(event.key.rawValue.utf8), value: [UInt8](try ERPJSON.encode(event)))) }
        }
        var latencies: [Double] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            latencies = try await admin.query(
                "SELECT (extract(epoch FROM (sent_at - event_time)) * 1000)::float8 FROM deliveries WHERE status = 'sent'"
            ).map { try $0.decode(Double.self, at: 0) }
            if latencies.count >= total { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let span = try await admin.query("SELECT extract(epoch FROM (max(sent_at) - min(event_time)))::float8 FROM deliveries WHERE status = 'sent'")
            .first?.decode(Double?.self, at: 0) ?? nil
        let queued = try await admin.query(
            "SELECT (extract(epoch FROM (created_at - event_time)) * 1000)::float8 FROM deliveries WHERE status = 'sent' ORDER BY 1"
        ).map { try $0.decode(Double.self, at: 0) }
        print("   (of which event → queued by the consumer: p50 \(format(Self.percentile(queued, 0.5))) ms, p99 \(format(Self.percentile(queued, 0.99))) ms)")
        await producer.shutdown()
        if latencies.count < total, let log = try? String(contentsOf: directory.appendingPathComponent("notification.log"), encoding: .utf8) {
            print("   only \(latencies.count) of \(total) sent; the service's log ends with:\n\(log.split(separator: "\n").suffix(8).joined(separator: "\n"))")
        }
        let sorted = latencies.sorted()
        return Result(throughput: Double(sorted.count) / max(span ?? 1, 0.001), p50: Self.percentile(sorted, 0.5), p99: Self.percentile(sorted, 0.99), count: sorted.count)
    }
}
