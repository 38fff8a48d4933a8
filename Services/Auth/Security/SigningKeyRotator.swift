import Logging
import ServiceLifecycle

/// Rotates the signing key when it is older than the rotation interval. Runs on every replica;
/// the advisory lock and the age check make the rotation happen once.
struct SigningKeyRotator: Service {
    let store: SigningKeyStore
    let checkInterval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: checkInterval)
                do {
                    try await store.prepare()
                } catch {
                    logger.warning("signing key check failed", metadata: ["erp.error": "\(String(reflecting: type(of: error)))"])
                }
            }
        }
    }
}
