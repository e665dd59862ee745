import SOMCodec
import SOMScheduler
import Testing

@Suite("Priority, due time and ageing", .timeLimit(.minutes(2)))
struct PriorityTests {
    @Test func priorityOrderFollowsTheDomain() {
        var machine = scheduler()
        let now = TestClock.at(0)
        let order: [(String, Priority)] = [
            ("read", .readsAndDeviceWork), ("cnp", .cutForNonPayment), ("exchange", .meterWork),
            ("start", .serviceChange), ("rfp", .reconnect), ("safety", .emergency), ("none", .unspecified),
        ]
        for (id, priority) in order { _ = machine.enqueue(command(id, priority: priority), now: now) }
        let pulled = machine.pull(gatewayID: "G1", now: now)
        #expect(pulled.ids == ["safety", "rfp", "start", "exchange", "cnp", "read", "none"])
    }

    @Test func overdueCreditNeverOutranksFresherHigherPriority() {
        // Due a day ago, but queued now: half a step of credit, not a day's worth of ageing.
        var machine = scheduler(ageStep: .seconds(300))
        _ = machine.enqueue(command("cnp", priority: .cutForNonPayment, due: TestClock.at(0)), now: TestClock.at(86_400))
        _ = machine.enqueue(command("start", priority: .meterWork), now: TestClock.at(86_400))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(86_400)).ids == ["start", "cnp"])
    }

    @Test func samePriorityGoesByDueTimeThenQueueOrder() {
        var machine = scheduler()
        let now = TestClock.at(100)
        _ = machine.enqueue(command("late", due: TestClock.at(50)), now: now)
        _ = machine.enqueue(command("early", due: TestClock.at(10)), now: now)
        _ = machine.enqueue(command("first-now"), now: now)
        _ = machine.enqueue(command("second-now"), now: now)
        #expect(machine.pull(gatewayID: "G1", now: now).ids == ["early", "late", "first-now", "second-now"])
    }

    @Test func commandsNotYetDueAreNotPulled() {
        var machine = scheduler()
        _ = machine.enqueue(command("later", priority: .emergency, due: TestClock.at(60)), now: TestClock.at(0))
        _ = machine.enqueue(command("now"), now: TestClock.at(0))
        let first = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        #expect(first.ids == ["now"])
        _ = machine.report([result("now")], gatewayID: "G1", now: TestClock.at(1))
        let second = machine.pull(gatewayID: "G1", now: TestClock.at(59.999))
        #expect(second.batch == nil)
        #expect(second.wait == .notDueUntil(TestClock.at(60)))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(60)).ids == ["later"])
    }

    @Test func ageingLiftsOneLevelPerStep() {
        // A read (level 1) that waited 3 steps ties with a fresh level-4 command; past that it wins.
        var machine = scheduler(ageStep: .seconds(60))
        _ = machine.enqueue(command("old-read", priority: .readsAndDeviceWork), now: TestClock.at(0))
        _ = machine.enqueue(command("fresh-start", priority: .serviceChange), now: TestClock.at(181))
        _ = machine.enqueue(command("fresh-rfp", priority: .reconnect), now: TestClock.at(181))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(181)).ids == ["fresh-rfp", "old-read", "fresh-start"])
    }

    @Test func ageingNeverStarvesLowPriorityUnderSteadyHighPriorityLoad() {
        var machine = scheduler(GatewayLimits(batchSize: 1, linger: .zero), ageStep: .seconds(10))
        _ = machine.enqueue(command("read", priority: .readsAndDeviceWork), now: TestClock.at(0))
        var served: [String] = []
        for second in 0..<100 {
            let now = TestClock.at(Double(second))
            _ = machine.enqueue(command("rfp-\(second)", priority: .reconnect), now: now)
            let pulled = machine.pull(gatewayID: "G1", now: now)
            served += pulled.ids
            _ = machine.report(pulled.ids.map { result($0) }, gatewayID: "G1", now: now)
        }
        // Reconnect is 4 levels above reads: after 4 steps (40 s) of waiting the read goes first.
        let position = served.firstIndex(of: "read")
        #expect(position != nil)
        #expect((40...42).contains(position ?? -1))
    }

    @Test func emergencyIsNeverOvertakenByAgedWork() {
        var machine = scheduler(ageStep: .seconds(1))
        _ = machine.enqueue(command("ancient-read", priority: .readsAndDeviceWork), now: TestClock.at(0))
        _ = machine.enqueue(command("safety", priority: .emergency), now: TestClock.at(100_000))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(100_000)).ids == ["safety", "ancient-read"])
    }

    @Test func enqueueIsIdempotentByCommandID() {
        var machine = scheduler()
        let now = TestClock.at(0)
        #expect(machine.enqueue(command("a"), now: now) == .queued(sequence: 1))
        #expect(machine.enqueue(command("a"), now: now) == .duplicate)
        #expect(machine.enqueue(QueuedCommand(commandID: "", gatewayID: "G1", type: .arm), now: now) != .queued(sequence: 2))
        #expect(machine.enqueue(command("b", type: .unspecified), now: now) == .rejected("command type 0 cannot be scheduled"))
        let pulled = machine.pull(gatewayID: "G1", now: now)
        _ = machine.report([result("a")], gatewayID: "G1", now: now)
        #expect(pulled.ids == ["a"])
        #expect(machine.enqueue(command("a"), now: now) == .alreadyFinished(.completed))
    }
}
