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
