import ERPServiceKit
import Testing

@Suite("Retry policy backoff")
struct RetryPolicyTests {
    @Test("full jitter stays within [0, min(cap, base·2^(n−1))]")
    func fullJitter() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for attempt in 1...8 {
            let ceiling = min(Duration.seconds(1), .milliseconds(100) * (1 << (attempt - 1)))
            for _ in 0..<200 {
                let delay = policy.delay(afterAttempt: attempt)
                #expect(delay >= .zero && delay <= ceiling, "attempt \(attempt): \(delay)")
            }
        }
    }

    @Test("proportional jitter stays within ±fraction of the capped exponential delay, and spreads")
    func proportionalJitter() {
        let policy = RetryPolicy(maxAttempts: .max, baseDelay: .seconds(30), maxDelay: .seconds(3600), jitter: .proportional(0.2))
        for (attempt, expected) in [(1, 30.0), (2, 60.0), (3, 120.0), (7, 1920.0), (8, 3600.0), (40, 3600.0)] {
            let delays = (0..<200).map { _ in policy.delay(afterAttempt: attempt).timeInterval }
            #expect(delays.allSatisfy { $0 >= expected * 0.8 - 1e-6 && $0 <= expected * 1.2 + 1e-6 }, "attempt \(attempt)")
            // Jitter really spreads retries: 200 draws are not all the same second.
            #expect(Set(delays.map { Int($0) }).count > 1, "attempt \(attempt)")
        }
    }

    @Test("Duration.timeInterval keeps fractions of a second")
    func timeInterval() {
        #expect(Duration.milliseconds(1500).timeInterval == 1.5)
        #expect(Duration.seconds(3600).timeInterval == 3600)
    }
}
