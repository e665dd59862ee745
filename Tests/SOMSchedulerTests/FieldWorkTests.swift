import SOMCodec
import SOMScheduler
import Testing

@Suite("Field-work leasing", .timeLimit(.minutes(2)))
struct FieldWorkTests {
    private func activity(
        _ id: String, order: String? = nil, priority: Priority = .meterWork, windowStart: Double? = nil, pool: String = ""
    ) -> QueuedFieldActivity {
        let window = windowStart.map { TimeWindow(start: TestClock.at($0).timestamp, end: TestClock.at($0 + 7200).timestamp) }
        return QueuedFieldActivity(
            item: FieldWorkItem(activityID: id, type: .exchange, orderID: order ?? "O-\(id)", priority: priority, appointmentWindow: window),
            pool: pool)
    }

    private func machine(maxAttempts: Int = 3) -> FieldWorkStateMachine {
        FieldWorkStateMachine(configuration: FieldWorkConfiguration(
            defaultLease: .seconds(60), leaseAfterUpdate: .seconds(86_400), maxAttempts: maxAttempts))
    }

    @Test func orderedByPriorityThenWindowStart() {
        var queue = machine()
        let now = TestClock.at(0)
        _ = queue.enqueue(activity("read-late", priority: .readsAndDeviceWork, windowStart: 500), now: now)
        _ = queue.enqueue(activity("exchange-late", windowStart: 900), now: now)
        _ = queue.enqueue(activity("exchange-early", windowStart: 100), now: now)
        _ = queue.enqueue(activity("reconnect", priority: .reconnect), now: now)
        let pulled = queue.pull(now: now)
        #expect(pulled.items.map(\.activityID) == ["reconnect", "exchange-early", "exchange-late", "read-late"])
        #expect(pulled.items.allSatisfy { $0.attempt == 1 && $0.leaseExpiresAt == TestClock.at(60).timestamp })
        #expect(queue.statistics.inFlight == 4)
    }

    @Test func reprioritizedActivityTakesItsNewPlaceOnce() {
        var queue = machine()
        let now = TestClock.at(0)
        _ = queue.enqueue(activity("exchange"), now: now)
        _ = queue.enqueue(activity("reconnect", priority: .reconnect), now: now)
        let raised = queue.reprioritize(activityID: "exchange", to: .emergency)
        #expect(raised)
        let pulled = queue.pull(now: now)
        #expect(pulled.items.map(\.activityID) == ["exchange", "reconnect"])
        #expect(pulled.items.first?.priority == .emergency)
        let unknown = queue.reprioritize(activityID: "nope", to: .emergency)
        #expect(!unknown)
    }

    @Test func poolsSeeOnlyTheirWork() {
        var queue = machine()
        _ = queue.enqueue(activity("north", pool: "N"), now: TestClock.at(0))
        _ = queue.enqueue(activity("south", pool: "S"), now: TestClock.at(0))
        #expect(queue.pull(pool: "N", now: TestClock.at(0)).items.map(\.activityID) == ["north"])
        #expect(queue.pull(now: TestClock.at(0)).items.map(\.activityID) == ["south"])
    }

    @Test func updatesRenewTheLeaseAndCompletionEndsIt() throws {
        var queue = machine()
        _ = queue.enqueue(activity("a"), now: TestClock.at(0))
        _ = queue.pull(maxItems: 1, now: TestClock.at(0))
        let window = TimeWindow(start: TestClock.at(86_400).timestamp, end: TestClock.at(90_000).timestamp)
        let update = queue.update(FieldWorkUpdate(activityID: "a", status: .appointed, appointment: window), now: TestClock.at(30))
        #expect(update.applied)
        #expect(update.events.count == 1)
        #expect(queue.queuedActivity("a")?.status == .appointed)
        #expect(queue.queuedActivity("a")?.item.appointmentWindow == window)
        // The original 60 s lease would have ended; the update renewed it for a day.
        #expect(queue.advance(now: TestClock.at(3600)).isEmpty)
        let heartbeat = queue.update(FieldWorkUpdate(activityID: "a", status: .appointed), now: TestClock.at(3600))
        #expect(heartbeat.applied && heartbeat.events.isEmpty)
        #expect(!queue.update(FieldWorkUpdate(activityID: "a", status: .succeeded), now: TestClock.at(3600)).applied)

        let done = queue.complete(activityID: "a", now: TestClock.at(4000))
        #expect(done.applied)
        #expect(done.events == [.completed(FieldActivityReference(activityID: "a", orderID: "O-a"))])
        #expect(queue.queuedActivity("a") == nil)
        let again = queue.complete(activityID: "a", now: TestClock.at(4001))
        #expect(!again.applied)
        #expect(again.events == [.ignoredReport(.complete(activityID: "a"), .alreadyFinished(.completed))])
        #expect(queue.statistics.completed == 1)
    }

    @Test func notDoneEndsTheActivityOnce() {
        var queue = machine()
        _ = queue.enqueue(activity("cut"), now: TestClock.at(0))
        _ = queue.pull(now: TestClock.at(0))
        let outcome = queue.notDone(activityID: "cut", now: TestClock.at(10))
        #expect(outcome.applied)
        #expect(outcome.events == [.notDone(FieldActivityReference(activityID: "cut", orderID: "O-cut"))])
        #expect(queue.statistics.notDone == 1)
        #expect(!queue.notDone(activityID: "cut", now: TestClock.at(11)).applied)
    }

    @Test func expiredLeaseIsRedeliveredThenDeadLettered() {
        var queue = machine(maxAttempts: 2)
        _ = queue.enqueue(activity("a"), now: TestClock.at(0))
        _ = queue.pull(now: TestClock.at(0))
        let second = queue.pull(now: TestClock.at(60))
        #expect(second.items.map(\.attempt) == [2])
        #expect(second.events.contains(.redeliveryQueued(FieldActivityReference(activityID: "a", orderID: "O-a"), attempt: 2)))
        let last = queue.advance(now: TestClock.at(120))
        guard case .deadLettered(let dead) = last.first else {
            Issue.record("expected a dead letter, got \(last)")
            return
        }
        #expect(dead.item.attempt == 2)
        #expect(queue.statistics.deadLettered == 1)
        #expect(queue.statistics.leaseExpiries == 2)
    }

    @Test func cancellingDispatchedWorkSendsANoticeFirst() {
        var queue = machine()
        _ = queue.enqueue(activity("queued", order: "O1"), now: TestClock.at(0))
        _ = queue.enqueue(activity("sent", order: "O2", priority: .emergency), now: TestClock.at(0))
        _ = queue.pull(maxItems: 1, now: TestClock.at(0))
        _ = queue.enqueue(activity("urgent", priority: .emergency), now: TestClock.at(1))
        let cancelled = queue.cancel(orderID: "O2", now: TestClock.at(1)) + queue.cancel(activityID: "queued", now: TestClock.at(1))
        #expect(cancelled == [
            .cancelled(FieldActivityReference(activityID: "sent", orderID: "O2"), wasDispatched: true),
            .cancelled(FieldActivityReference(activityID: "queued", orderID: "O1"), wasDispatched: false),
        ])
        let next = queue.pull(now: TestClock.at(2))
        #expect(next.items.map(\.activityID) == ["sent", "urgent"])
        #expect(next.items.map(\.cancelRequested) == [true, false])
        // The adapter acknowledges the notice with any report; it is recorded, not applied.
        let ack = queue.notDone(activityID: "sent", now: TestClock.at(3))
        #expect(!ack.applied)
        #expect(queue.queuedActivity("sent") == nil)
        #expect(queue.queuedActivity("queued") == nil)
    }

    @Test func restoreKeepsOrderAndLeases() {
        var queue = machine()
        for index in 0..<10 {
            _ = queue.enqueue(activity("a\(index)", priority: index % 2 == 0 ? .reconnect : .meterWork, windowStart: Double(100 - index)), now: TestClock.at(0))
        }
        _ = queue.pull(maxItems: 3, now: TestClock.at(0))
        var restored = FieldWorkStateMachine(configuration: queue.configuration, restoring: queue.snapshot(), now: TestClock.at(1))
        #expect(restored.snapshot() == queue.snapshot())
        #expect(restored.pull(now: TestClock.at(1)).items == queue.pull(now: TestClock.at(1)).items)
        #expect(restored.advance(now: TestClock.at(60)) == queue.advance(now: TestClock.at(60)))
    }

    @Test func statisticsMessage() {
        var queue = machine()
        _ = queue.enqueue(activity("a"), now: TestClock.at(0))
        _ = queue.enqueue(activity("b"), now: TestClock.at(0))
        _ = queue.pull(maxItems: 1, now: TestClock.at(0))
        #expect(queue.statistics.message == FieldWorkStatsResponse(queued: 1, dispatched: 1, completed: 0, notDone: 0, leaseExpiries: 0))
    }
}
