@testable import SOMScheduler
import Testing

@Suite("Memory layout", .timeLimit(.minutes(2)))
struct RecordLayoutTests {
    /// The ≤ 256 bytes per queued command budget rests on these sizes (see `som-bench scheduler`).
    @Test func recordsAndEntriesStayCompact() {
        #expect(MemoryLayout<CommandRecord>.stride <= 128)
        #expect(MemoryLayout<QueueEntry>.stride == 16)
    }

    @Test func countedMemoryPerQueuedCommandIsWithinBudget() {
        var machine = scheduler()
        for index in 0..<100_000 {
            _ = machine.enqueue(command("c\(index)", gateway: "G\(index % 100)", expiresAt: TestClock.at(1000)), now: TestClock.at(0))
        }
        #expect(machine.estimatedMemoryBytes / 100_000 <= 256)
    }
}
