import SOMCodec
import SOMOrchestration
@testable import SOMEngine
import SOMStore
import Testing

@Suite("Owed work: steps a failed commit left undone wait, then come back", .timeLimit(.minutes(1)))
struct OwedWorkTests {
    let start = Timestamp(seconds: 1_800_000_000)

    @Test("owed steps come back after the wait, which doubles while failures go on and resets once a try leaves nothing owed")
    func backoff() {
        let owed = OwedWork(firstDelay: .seconds(1), longestDelay: .seconds(4))
        #expect(owed.owe([("SO1", .recheckDue)], now: start) == 0)
        #expect(owed.takeDue(at: start).steps.isEmpty, "tried again before its wait")
        #expect(owed.takeDue(at: start.adding(.seconds(1))).steps.map(\.orderID) == ["SO1"])
        #expect(owed.count == 0)
        // The retry failed again: the next wait is 2 s, then 4 s, and no longer.
        _ = owed.owe([("SO1", .recheckDue)], now: start)
        #expect(owed.takeDue(at: start.adding(.seconds(1))).steps.isEmpty)
        #expect(owed.takeDue(at: start.adding(.seconds(2))).steps.count == 1)
        _ = owed.owe([("SO1", .recheckDue)], now: start)
        _ = owed.takeDue(at: start.adding(.seconds(4)))
        _ = owed.owe([("SO1", .recheckDue)], now: start)
        #expect(owed.takeDue(at: start.adding(.seconds(3))).steps.isEmpty)
        #expect(owed.takeDue(at: start.adding(.seconds(4))).steps.count == 1)
        owed.settle()
        _ = owed.owe([("SO2", .evaluate)], now: start)
        #expect(owed.takeDue(at: start.adding(.seconds(1))).steps.map(\.orderID) == ["SO2"], "the wait did not reset after a clean try")
    }

    @Test("past its capacity owed work drops the rest and says how much")
    func capacity() {
        let owed = OwedWork(capacity: 3)
        #expect(owed.owe([("A", .evaluate), ("B", .evaluate)], now: start) == 0)
        #expect(owed.owe([Order(orderID: "C"), Order(orderID: "D")], now: start) == 1)
        #expect(owed.count == 3)
        let due = owed.takeDue(at: start.adding(.seconds(60)))
        #expect(due.steps.map(\.orderID) == ["A", "B"] && due.orders.map(\.orderID) == ["C"])
    }

    @Test("only failures a later try may not meet are owed")
    func transientErrors() {
        #expect(OwedWork.isTransient(.storageFull("disk")))
        #expect(OwedWork.isTransient(.storage("EIO")))
        #expect(!OwedWork.isTransient(.notFound("order SO1")))
        #expect(!OwedWork.isTransient(.closed))
    }
}
