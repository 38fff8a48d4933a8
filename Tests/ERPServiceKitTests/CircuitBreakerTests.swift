import ERPServiceKit
import Testing

@Suite("Circuit breaker state machine")
struct CircuitBreakerTests {
    @Test("opens after the threshold, allows one trial when half-open, closes on success")
    func lifecycle() async throws {
        let breaker = CircuitBreaker(configuration: .init(failureThreshold: 3, coolDown: .milliseconds(100)))
        #expect(breaker.allowRequest())
        breaker.recordFailure()
        breaker.recordFailure()
        #expect(breaker.state == .closed)
        breaker.recordFailure()
        #expect(breaker.state == .open)
        #expect(!breaker.allowRequest())
        try await Task.sleep(for: .milliseconds(150))
        #expect(breaker.allowRequest())
        #expect(!breaker.allowRequest())  // only one trial call at a time
        breaker.recordSuccess()
        #expect(breaker.state == .closed)
        #expect(breaker.allowRequest())
    }

    @Test("a failed trial re-opens the breaker")
    func failedTrial() async throws {
        let breaker = CircuitBreaker(configuration: .init(failureThreshold: 1, coolDown: .milliseconds(50)))
        breaker.recordFailure()
        try await Task.sleep(for: .milliseconds(80))
        #expect(breaker.allowRequest())
        breaker.recordFailure()
        #expect(breaker.state == .open)
        #expect(!breaker.allowRequest())
    }

    @Test("a success resets the failure count")
    func successResets() {
        let breaker = CircuitBreaker(configuration: .init(failureThreshold: 2, coolDown: .seconds(60)))
        breaker.recordFailure()
        breaker.recordSuccess()
        breaker.recordFailure()
        #expect(breaker.state == .closed)
    }
}
