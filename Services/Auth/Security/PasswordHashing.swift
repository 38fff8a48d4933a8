import ERPConcurrency
import ERPCrypto
import Synchronization

/// scrypt hashing on dedicated threads: each hash takes hundreds of milliseconds of CPU and
/// 128 MiB, which must never block Swift's cooperative pool, and the thread count bounds how
/// many run (and how much memory they take) at once.
final class PasswordHashing: Sendable {
    let hasher: PasswordHasher
    private let executor: BlockingExecutor
    /// A hash of a random password, verified against when the account does not exist, so a
    /// login for an unknown email takes as long as one for a known email. Made on first use,
    /// on the executor like every hash.
    private let decoy = Mutex<String?>(nil)

    init(logN: Int, threads: Int) {
        hasher = PasswordHasher(parameters: .init(ln: logN, r: 8, p: 1))
        executor = BlockingExecutor(threadCount: max(1, threads), name: "erp-auth-password")
    }

    func hash(_ password: String) async throws -> String {
        let hasher = hasher
        return try await executor.run { try hasher.hash(password) }
    }

    /// Verifies `password` against `encoded`, or against the decoy when there is no hash.
    func verify(_ password: String, against encoded: String?) async throws -> Bool {
        let hasher = hasher
        let target: String
        if let encoded {
            target = encoded
        } else if let made = decoy.withLock({ $0 }) {
            target = made
        } else {
            let made = try await hash(SecureRandom.token())
            decoy.withLock { $0 = $0 ?? made }
            target = made
        }
        let matches = try await executor.run { hasher.verify(password, against: target) }
        return matches && encoded != nil
    }

    func needsRehash(_ encoded: String) -> Bool { hasher.needsRehash(encoded) }

    func shutdown() { executor.shutdown() }
}
