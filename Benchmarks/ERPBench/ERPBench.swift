import Foundation
import Logging

/// `make bench`: measures the platform against references run in the same process and minute
/// (the machines are noisy, so ratios mean more than bare numbers).
///
///   erp-bench [pool] [outbox] [auth] [gateway] [entitlements] [tokens] [notification] [crm]     (all when none is named)
@main
enum ERPBench {
    static func main() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let selected = Set(CommandLine.arguments.dropFirst())
        let runAll = selected.isEmpty
        print("erp-bench — \(Date().formatted(.iso8601)) — \(ProcessInfo.processInfo.activeProcessorCount) cores")
        if runAll || selected.contains("pool") {
            try await PoolBenchmark().run()
        }
        if runAll || selected.contains("outbox") {
            try await OutboxBenchmark().run()
        }
        if runAll || selected.contains("auth") {
            try await AuthBenchmark().run()
        }
        if runAll || selected.contains("gateway") {
            try await GatewayBenchmark().run()
        }
        if runAll || selected.contains("entitlements") {
            try await EntitlementBenchmark().run()
        }
        if runAll || selected.contains("tokens") {
            try await TokenVerificationBenchmark().run()
        }
        if runAll || selected.contains("notification") {
            try await NotificationBenchmark().run()
        }
        if runAll || selected.contains("crm") {
            try await CRMBenchmark().run()
        }
    }
}
