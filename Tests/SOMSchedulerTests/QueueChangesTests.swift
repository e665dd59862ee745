import SOMCodec
import SOMScheduler
import Testing

@Suite("Queue changes: a batch of decisions applied in one call, in order", .timeLimit(.minutes(2)))
struct QueueChangesTests {
    func actor() -> Scheduler {
        let clock = ManualClock()
        return Scheduler(configuration: SchedulerConfiguration(defaultGatewayLimits: immediate), clock: { clock.now })
    }

    @Test("a later decision sees an earlier one's effect: queued then cancelled is gone; cancelled then retried stays queued")
    func order() async {
        let scheduler = actor()
        var queue = QueueChanges(orderID: "O1")
        queue.commands = [command("O1-A1", order: "O1")]
        var cancel = QueueChanges(orderID: "O1")
        cancel.cancelCommandsOf = ["O1-A1"]
        var retry = QueueChanges(orderID: "O1")
        retry.commands = [command(CommandAttemptID(activityID: "O1-A1", attempt: 2).rawValue, order: "O1")]
        let outcomes = await scheduler.apply([queue, cancel, retry])
        #expect(outcomes.map(\.commands) == [[.queued(sequence: 1)], [], [.queued(sequence: 2)]])
        #expect(await scheduler.commands(ofOrder: "O1").map(\.commandID) == ["O1-A1#2"])

        // Cancelling by activity reaches whichever attempt is outstanding.
        var cancelAgain = QueueChanges(orderID: "O1")
        cancelAgain.cancelCommandsOf = ["O1-A1"]
        _ = await scheduler.apply([cancelAgain])
        #expect(await scheduler.commands(ofOrder: "O1").isEmpty)
    }

    @Test("reprioritizing an activity moves its queued command; field work is queued and cancelled through the same call")
    func reprioritizeAndFieldWork() async {
        let scheduler = actor()
        var queue = QueueChanges(orderID: "O2")
        queue.commands = [command("O2-A1", order: "O2", priority: .readsAndDeviceWork)]
        queue.fieldWork = [QueuedFieldActivity(item: FieldWorkItem(activityID: "O2-A2", type: .read, orderID: "O2"))]
        var escalate = QueueChanges(orderID: "O2")
        escalate.reprioritize = [("O2-A1", .emergency, false)]
        let outcomes = await scheduler.apply([queue, escalate])
        let fieldOutcome = outcomes.first?.fieldWork
        #expect(fieldOutcome?.count == 1 && fieldOutcome?.allSatisfy { if case .queued = $0 { true } else { false } } == true, "\(String(describing: fieldOutcome))")
        #expect(await scheduler.commands(ofOrder: "O2").first?.priority == .emergency)
        #expect(await scheduler.queuedActivity("O2-A2") != nil)
        var cancel = QueueChanges(orderID: "O2")
        cancel.cancelFieldWork = ["O2-A2"]
        #expect(cancel.isEmpty == false && QueueChanges(orderID: "O2").isEmpty)
        _ = await scheduler.apply([cancel])
        #expect(await scheduler.queuedActivity("O2-A2") == nil)
    }

    @Test("command attempt ids: the first attempt is the activity id, later ones add #n, and both map back")
    func attemptIDs() {
        #expect(CommandAttemptID(activityID: "SO1-A1", attempt: 1).rawValue == "SO1-A1")
        #expect(CommandAttemptID(activityID: "SO1-A1", attempt: 3).rawValue == "SO1-A1#3")
        #expect(CommandAttemptID("SO1-A1#3") == CommandAttemptID(activityID: "SO1-A1", attempt: 3))
        #expect(CommandAttemptID("SO1-A1#3").activityID == "SO1-A1")
        #expect(CommandAttemptID("SO1-A1").activityID == "SO1-A1")
        #expect(CommandAttemptID("SO1-A1#3").attempt == 3)
        #expect(CommandAttemptID("SO1-A1").attempt == 1)
        // A suffix that is not a number still names the activity before it, as a first attempt;
        // the id stays the string it came as (results are matched by it).
        #expect(CommandAttemptID("SO1-A1#x").activityID == "SO1-A1")
        #expect(CommandAttemptID("SO1-A1#x").attempt == 1)
        #expect(CommandAttemptID("SO1-A1#1") != CommandAttemptID("SO1-A1"))
    }

    @Test("an activity id names its order when it has the form <order id>-A<n>, and nothing otherwise")
    func activityOrders() {
        #expect(ActivityID("SO000000000001-A2").orderID == "SO000000000001")
        #expect(ActivityID("X-Y-A10").orderID == "X-Y")
        for malformed: ActivityID in ["SO1", "A1", "SO1-A", "SO1-Ax", "SO1A1", "SO1-B1"] {
            #expect(malformed.orderID == nil, "\(malformed)")
        }
    }
}
