import ERPKafka
import ERPTestSupport
import Foundation
import Testing

/// Starts the built `erp-dev-broker` on a free port and talks to it through the fixed port.
/// The binary sits next to the test runner: `make test` builds it (the stack runs it).
@Suite("erp-dev-broker executable")
struct DevBrokerExecutableTests {
    typealias Clients = KafkaTestClients

    static let binary: URL? = {
        // The test runner is (Linux) or sits in (macOS) the build products directory.
        let runner = Bundle.main.executableURL ?? Bundle.main.bundleURL
        let candidates = [runner.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("erp-dev-broker") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    @Test("clients bootstrap through the fixed port; SIGTERM stops it and removes the bootstrap file")
    func forwardsFixedPort() async throws {
        let binary = try #require(Self.binary, "erp-dev-broker is not built next to the tests; run them with `make test`")
        let port = FreePort.find()
        let bootstrapFile = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("erp_dev_broker_bootstrap"))
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--port", String(port), "--bootstrap-file", bootstrapFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        try await TimeLimit.run(within: .seconds(20)) {
            while !FileManager.default.fileExists(atPath: bootstrapFile.path) {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let realAddress = try String(contentsOf: bootstrapFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(realAddress.hasPrefix("127.0.0.1:") && realAddress != "127.0.0.1:\(port)")

        let fixed = "127.0.0.1:\(port)"
        let topic = TestEnvironment.uniqueName("erp_dev_broker")
        let producer = try Clients.producer(bootstrapServers: fixed)
        let report = try await TimeLimit.run(within: .seconds(30)) {
            try await producer.send(KafkaOutgoingMessage(topic: topic, key: Clients.bytes("k"), value: Clients.bytes("through the forwarder")))
        }
        await producer.shutdown()
        #expect(report.offset == 0)
        let consumer = try Clients.consumer(bootstrapServers: fixed, topic: topic, groupID: TestEnvironment.uniqueName("erp_dev_broker_group"))
        let messages = try await Clients.collect(1, from: consumer)
        await consumer.shutdown()
        #expect(messages.map { Clients.text($0.value) } == ["through the forwarder"])

        process.terminate()  // SIGTERM
        try await TimeLimit.run(within: .seconds(20)) {
            while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: bootstrapFile.path))
    }
}
