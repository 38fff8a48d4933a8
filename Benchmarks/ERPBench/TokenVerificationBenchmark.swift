import ERPProtocol
import ERPServiceKit
import Foundation

/// Every service checks the caller's access token on every request. The kit's verifier keeps
/// verified tokens (`VerifiedClaimsCache`), so a token is signature-checked once and afterwards
/// costs a lookup plus the lifetime and key checks. Measured in process, same tokens, same
/// minute: 64 callers' tokens verified round robin, without the cache (the reference) and with it.
struct TokenVerificationBenchmark {
    let callers = 64
    let rounds = 40

    func run() async throws {
        print("\n== tokens: access-token verification with VerifiedClaimsCache vs without, \(callers) tokens × \(rounds) rounds")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("erp-bench-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let signer = try BenchSigner(directory: directory)
        let tokens = try (0..<callers).map { _ in
            try signer.token(subject: UserID.random().description, organization: .random(), roles: ["User"], kind: .user)
        }
        let keys = StaticKeyProvider(keys: [signer.signer.kid: signer.signer.key.publicKey])
        let plain = AccessTokenVerifier(keys: keys, issuer: "erp-auth", audience: "erp")
        let cached = AccessTokenVerifier(keys: keys, issuer: "erp-auth", audience: "erp", cache: VerifiedClaimsCache())

        _ = try await measure(plain, tokens)  // warm-up
        let reference = try await measure(plain, tokens)
        let ours = try await measure(cached, tokens)
        let again = try await measure(plain, tokens)
        let referenceRate = (reference + again) / 2
        print("| | verifications/s | µs each |")
        print("|---|---|---|")
        print(String(format: "| signature every time (mean of before/after) | %.0f | %.1f |", referenceRate, 1_000_000 / referenceRate))
        print(String(format: "| VerifiedClaimsCache (first round verifies) | %.0f | %.1f |", ours, 1_000_000 / ours))
        print(String(format: "| **cached / uncached** | **%.1f×** | |", ours / referenceRate))
    }

    /// Verifications per second over `rounds` passes of every token.
    private func measure(_ verifier: AccessTokenVerifier, _ tokens: [String]) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<rounds {
            for token in tokens { _ = try await verifier.verify(token) }
        }
        let elapsed = clock.now - start
        return Double(rounds * tokens.count) / (elapsed.milliseconds / 1000)
    }
}
