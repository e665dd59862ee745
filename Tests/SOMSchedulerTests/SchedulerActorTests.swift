import SOMCodec
import SOMScheduler
import Synchronization
import Testing

/// A clock the test moves; shared with the actor's clock closure.
final class ManualClock: Sendable {
    private let current = Mutex(TestClock.at(0))

    var now: SchedulerInstant { current.withLock { $0 } }

    func advance(by duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}

@Suite("Scheduler actor", .timeLimit(.minutes(2)))
struct SchedulerActorTests {
    @Test func commandsAndFieldWorkThroughTheActor() async throws {
        let clock = ManualClock()
        let scheduler = Scheduler(
            configuration: SchedulerConfiguration(defaultGatewayLimits: immediate, defaultLease: .seconds(30)),
            clock: { clock.now })
        #expect(await scheduler.enqueue([command("a"), command("b", gateway: "G2")]) == [.queued(sequence: 1), .queued(sequence: 2)])
        let batch = try #require(await scheduler.pull(gatewayID: "G1").batch)
        #expect(batch.message.batchID == batch.lease.description)
        #expect(await scheduler.nextDeadline == TestClock.at(30))
        clock.advance(by: .seconds(10))
        #expect(await scheduler.extendLease(batch.lease) == TestClock.at(40))
        #expect(await scheduler.report([result("a")], gatewayID: "G1").applied == [true])
        #expect(await scheduler.statistics().map(\.gatewayID) == ["G1", "G2"])

        let item = FieldWorkItem(activityID: "f1", type: .read, orderID: "O-b", priority: .readsAndDeviceWork)
        #expect(await scheduler.enqueueFieldWork(QueuedFieldActivity(item: item)) == .queued(sequence: 1))
        #expect(await scheduler.pullFieldWork().items.map(\.activityID) == ["f1"])
        let cancelled = await scheduler.cancel(orderID: "O-b")
        #expect(cancelled.commands.count == 1)
        #expect(cancelled.fieldWork == [.cancelled(FieldActivityReference(activityID: "f1", orderID: "O-b"), wasDispatched: true)])
        #expect(await scheduler.queuedCommand("b") == nil)
        #expect(await scheduler.fieldWorkStatistics.queued == 1)
        #expect(await scheduler.snapshot().commands.isEmpty)
    }
}
