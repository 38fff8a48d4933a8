import Foundation

/// erp-subscription: plans, subscriptions, trials, usage metering, entitlements, invoices,
/// payments and dunning.
@main
struct SubscriptionApp {
    static func main() async throws {
        let configuration: SubscriptionConfiguration
        do {
            configuration = try SubscriptionConfiguration()
        } catch {
            FileHandle.standardError.write(Data("erp-subscription: \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        try await SubscriptionApplication.run(configuration: configuration)
    }
}
