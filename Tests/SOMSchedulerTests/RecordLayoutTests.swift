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
        // Array capacities come from malloc_usable_size, which moves a few percent with the
        // allocator's state (250-252 B alone, 258-259 B seen on a loaded machine): 256 B is the
        // budget, 272 B the bound that does not flake.
        #expect(machine.estimatedMemoryBytes / 100_000 <= 272)
    }
}
