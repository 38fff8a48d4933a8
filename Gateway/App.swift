import Foundation

/// erp-gateway: the suite's only public door. Routes `/api/v1/<service>/…` to the services,
/// verifies access tokens, applies rate limits and answers every failure as problem+json.
@main
struct GatewayApp {
    static func main() async throws {
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration()
        } catch {
            FileHandle.standardError.write(Data("erp-gateway: \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        try await GatewayApplication.run(configuration: configuration)
    }
}
