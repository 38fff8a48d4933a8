import Foundation

/// erp-auth: the suite's identity provider (organizations, users, roles, tokens, sessions,
/// MFA, audit log, JWKS).
@main
struct AuthApp {
    static func main() async throws {
        let configuration: AuthConfiguration
        do {
            configuration = try AuthConfiguration()
        } catch {
            FileHandle.standardError.write(Data("erp-auth: \(error)\n".utf8))
            exit(78)  // EX_CONFIG
        }
        try await AuthApplication.run(configuration: configuration)
    }
}
