import Foundation
import Testing

@testable import ERPConcurrency

@Suite("BlockingExecutor")
struct BlockingExecutorTests {
    @Test("work runs off the cooperative pool, on the executor's own threads")
    func runsOnOwnThreads() async throws {
        let executor = BlockingExecutor(threadCount: 2, name: "test-blocking")
        #expect(!executor.isCurrentThreadOwned)
        let ranOnOwnThread = try await executor.run { executor.isCurrentThreadOwned }
        #expect(ranOnOwnThread)
    }

    @Test("blocking calls run in parallel on separate threads")
    func blockingRunsInParallel() async throws {
        let executor = BlockingExecutor(threadCount: 2, name: "test-rendezvous")
        let first = DispatchSemaphore(value: 0)
        let second = DispatchSemaphore(value: 0)
        // Each job blocks until the other has started: only possible if both hold a thread at once.
        async let a = executor.run { () -> Bool in
            first.signal()
            return second.wait(timeout: .now() + 10) == .success
        }
        async let b = executor.run { () -> Bool in
            second.signal()
            return first.wait(timeout: .now() + 10) == .success
        }
        let (metA, metB) = try await (a, b)
        #expect(metA && metB)
    }

    @Test("errors thrown by the work reach the caller")
    func errorsPropagate() async {
        struct Boom: Error {}
        let executor = BlockingExecutor(threadCount: 1, name: "test-error")
        await #expect(throws: Boom.self) { try await executor.run { throw Boom() } }
    }

    @Test("a shut-down executor refuses work")
    func shutDownRefuses() async {
        let executor = BlockingExecutor(threadCount: 1, name: "test-shutdown")
        executor.shutdown()
        await #expect(throws: BlockingExecutorError.self) { try await executor.run { 1 } }
    }
}
