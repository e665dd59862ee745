import SOMCodec
import SOMScheduler
import Testing

/// The production default: a connect or disconnect whose lease expires may have happened, so it is
/// never delivered again blind (DOMAIN.md principle 4); reads and pings are.
@Suite("Lease expiry of switching commands", .timeLimit(.minutes(1)))
struct SwitchingLeaseTests {
    func machine() -> SchedulerStateMachine {
        SchedulerStateMachine(configuration: SchedulerConfiguration(defaultGatewayLimits: immediate, defaultLease: .seconds(30)))
    }

    @Test(arguments: [CommandType.remoteDisconnect, .remoteConnect, .arm])
    func switchingCommandIsDeadLetteredAsUnknownNotRedelivered(type: CommandType) throws {
        var machine = machine()
        _ = machine.enqueue(command("s", type: type), now: TestClock.at(0))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(0)).ids == ["s"])
        let events = machine.advance(now: TestClock.at(31))
        #expect(events.compactMap(\.redelivery).isEmpty)
        let letter = try #require(events.compactMap(\.deadLetter).first)
        #expect(letter.reason == .leaseExpiredOutcomeUnknown(attempts: 1))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(100)).batch == nil, "nothing goes out again")
        #expect(machine.queuedCommand("s") == nil)
    }

    @Test(arguments: [CommandType.onDemandRead, .statusCheck])
    func readsAndPingsAreRedelivered(type: CommandType) {
        var machine = machine()
        _ = machine.enqueue(command("r", type: type), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        let events = machine.advance(now: TestClock.at(31))
        #expect(events.compactMap(\.redelivery).map(\.0) == ["r"])
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(31)).ids == ["r"])
    }

    @Test func cancelledSwitchingCommandWithoutResultIsReportedUnknown() throws {
        // Cancelled while out: the gateway may still have acted, so its order must hear of it.
        var machine = machine()
        _ = machine.enqueue(command("s", order: "O1"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        _ = machine.cancel(commandID: "s", now: TestClock.at(1))
        let letter = try #require(machine.advance(now: TestClock.at(31)).compactMap(\.deadLetter).first)
        #expect(letter.command.orderID == "O1" && letter.reason == .leaseExpiredOutcomeUnknown(attempts: 1))
    }

    @Test func cancelledReadJustEnds() {
        var machine = machine()
        _ = machine.enqueue(command("r", type: .onDemandRead), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        _ = machine.cancel(commandID: "r", now: TestClock.at(1))
        #expect(machine.advance(now: TestClock.at(31)).compactMap(\.deadLetter).isEmpty)
    }
}

@Suite("Reprioritize", .timeLimit(.minutes(1)))
struct ReprioritizeTests {
    @Test func raisedCommandOvertakesAtOnce() {
        var machine = scheduler()
        _ = machine.enqueue(command("cut", priority: .cutForNonPayment), now: TestClock.at(0))
        _ = machine.enqueue(command("rfp", priority: .reconnect), now: TestClock.at(0))
        _ = machine.enqueue(command("start", priority: .serviceChange), now: TestClock.at(0))
        let raised = machine.reprioritize(commandID: "rfp", to: .emergency, now: TestClock.at(1))
        #expect(raised)
        let lowered = machine.reprioritize(commandID: "start", to: .readsAndDeviceWork, now: TestClock.at(1))
        #expect(lowered)
        #expect(machine.queuedCommand("rfp")?.priority == .emergency)
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(1)).ids == ["rfp", "cut", "start"])
        #expect(machine.queuedCount == 0, "each command was queued once, not once per rank")
    }

    @Test func waitingCommandIsRankedByItsNewPriorityWhenDue() {
        var machine = scheduler()
        _ = machine.enqueue(command("rfp", priority: .reconnect, due: TestClock.at(10)), now: TestClock.at(0))
        _ = machine.enqueue(command("start", priority: .serviceChange, due: TestClock.at(10)), now: TestClock.at(0))
        _ = machine.enqueue(command("safety", priority: .emergency, due: TestClock.at(10)), now: TestClock.at(0))
        let raised = machine.reprioritize(commandID: "start", to: .emergency, now: TestClock.at(1))
        #expect(raised)
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(10)).ids == ["start", "safety", "rfp"])
    }

    @Test func leasedCommandKeepsItForItsRedelivery() throws {
        var machine = scheduler()
        _ = machine.enqueue(command("rfp", type: .remoteConnect, priority: .reconnect), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        let raised = machine.reprioritize(commandID: "rfp", to: .emergency, now: TestClock.at(1))
        #expect(raised)
        _ = machine.advance(now: TestClock.at(31))
        let again = try #require(machine.pull(gatewayID: "G1", now: TestClock.at(31)).batch)
        #expect(again.commands.map(\.priority) == [.emergency])
    }

    @Test func reprioritizedCommandStillExpires() {
        var machine = scheduler()
        _ = machine.enqueue(command("rfp", priority: .reconnect, expiresAt: TestClock.at(60)), now: TestClock.at(0))
        _ = machine.enqueue(command("other", gateway: "G2"), now: TestClock.at(0))
        let raised = machine.reprioritize(commandID: "rfp", to: .emergency, now: TestClock.at(1))
        #expect(raised)
        #expect(machine.advance(now: TestClock.at(61)).compactMap(\.expiredID) == ["rfp"])
    }

    @Test func unknownOrFinishedCommandIsNotReprioritized() {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.cancel(commandID: "a", now: TestClock.at(1))
        let finished = machine.reprioritize(commandID: "a", to: .emergency, now: TestClock.at(2))
        #expect(!finished)
        let unknown = machine.reprioritize(commandID: "nope", to: .emergency, now: TestClock.at(2))
        #expect(!unknown)
    }
}
