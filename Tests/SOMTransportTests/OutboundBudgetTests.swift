import SOMRPC
@testable import SOMTransport
import Testing

@Suite("A handler runs ahead of the socket only within credit, writability and the connection's byte budget", .timeLimit(.minutes(1)))
struct OutboundBudgetTests {
    @Test("granted while credit and budget last; the bytes come back when written")
    func budgetBoundsTheFastPath() {
        let budget = OutboundBudget(limit: 3_000)
        let gate = OutboundGate(credit: 1_000, budget: budget)
        for _ in 0..<3 { #expect(isGranted(gate.reserve(bytes: 1_000))) }
        #expect(!isGranted(gate.reserve(bytes: 1_000)))
        #expect(budget.queued == 3_000)
        budget.release(1_000)
        #expect(isGranted(gate.reserve(bytes: 1_000)))
    }

    @Test("an unwritable connection makes every write wait, whatever the credit")
    func unwritableWaits() {
        let budget = OutboundBudget(limit: 1 << 20)
        let gate = OutboundGate(credit: 1_000, budget: budget)
        budget.setWritable(false)
        #expect(!isGranted(gate.reserve(bytes: 10)))
        budget.setWritable(true)
        #expect(isGranted(gate.reserve(bytes: 10)))
    }

    @Test("no credit: wait, even with budget")
    func creditStillRules() {
        let gate = OutboundGate(credit: 1, budget: OutboundBudget(limit: 1 << 20))
        #expect(isGranted(gate.reserve(bytes: 10)))
        #expect(!isGranted(gate.reserve(bytes: 10)))
    }

    func isGranted(_ reservation: OutboundGate.Reservation) -> Bool {
        if case .granted = reservation { return true }
        return false
    }
}

@Suite("Writes with credit left are queued in the gate and taken by the loop in batches", .timeLimit(.minutes(1)))
struct OutboundGateQueueTests {
    @Test("the first queued message asks for a drain, the rest ride along; taking empties the queue")
    func batches() {
        let gate = OutboundGate(credit: 10, budget: OutboundBudget(limit: 1 << 20))
        guard case .queued(true) = gate.enqueue([1]), case .queued(false) = gate.enqueue([2]) else {
            Issue.record("not queued as a batch")
            return
        }
        #expect(gate.takeQueued() == [[1], [2]])
        guard case .queued(true) = gate.enqueue([3]) else { Issue.record("a new batch did not ask for a drain"); return }
    }

    @Test("closing drops the queued messages and gives their bytes back to the budget")
    func closeReleases() {
        let budget = OutboundBudget(limit: 1 << 20)
        let gate = OutboundGate(credit: 10, budget: budget)
        _ = gate.enqueue([UInt8](repeating: 0, count: 100))
        #expect(budget.queued == 100)
        gate.close(RPCError(.cancelled, "over"))
        #expect(budget.queued == 0)
        #expect(gate.takeQueued().isEmpty)
        guard case .closed = gate.enqueue([1]) else { Issue.record("queued after close"); return }
    }

    @Test("no credit or no budget: wait")
    func waits() {
        let gate = OutboundGate(credit: 1, budget: OutboundBudget(limit: 10))
        guard case .wait = gate.enqueue([UInt8](repeating: 0, count: 11)) else { Issue.record("over budget queued"); return }
        guard case .wait = gate.enqueue([1]) else { Issue.record("without credit queued"); return }
    }
}
