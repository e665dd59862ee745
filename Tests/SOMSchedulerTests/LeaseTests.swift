import SOMCodec
import SOMScheduler
import Testing

@Suite("Leases, redelivery, results and dead letters", .timeLimit(.minutes(2)))
struct LeaseTests {
    @Test func expiredLeaseIsRedeliveredWithTheNextAttempt() throws {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        let first = try #require(machine.pull(gatewayID: "G1", now: TestClock.at(0)).batch)
        #expect(first.commands.map(\.attempt) == [1])
        #expect(first.expiresAt == TestClock.at(30))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(29)).batch == nil)

        let second = machine.pull(gatewayID: "G1", now: TestClock.at(30))
        #expect(second.events.contains { $0.isLeaseExpired })
        #expect(second.events.compactMap(\.redelivery).map(\.0) == ["a"])
        #expect(second.events.compactMap(\.redelivery).map(\.1) == [2])
        let batch = try #require(second.batch)
        #expect(batch.commands.map(\.attempt) == [2])
        #expect(batch.lease != first.lease)
        let stats = machine.statistics(gatewayID: "G1", now: TestClock.at(30))
        #expect(stats?.leaseExpiries == 1)
        #expect(stats?.redelivered == 1)
    }

    @Test func heartbeatExtendsTheLease() throws {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        let batch = try #require(machine.pull(gatewayID: "G1", now: TestClock.at(0)).batch)
        #expect(machine.extendLease(batch.lease, by: .seconds(60), now: TestClock.at(20)) == TestClock.at(80))
        #expect(machine.advance(now: TestClock.at(79)).isEmpty)
        #expect(machine.advance(now: TestClock.at(80)).compactMap(\.redelivery).map(\.0) == ["a"])
        // Too late: the lease has ended and its command is queued again.
        #expect(machine.extendLease(batch.lease, now: TestClock.at(81)) == nil)
        #expect(machine.extendLease(LeaseID(rawValue: 999), now: TestClock.at(81)) == nil)
    }

    @Test func extensionIsCappedAtTheMaximumLease() throws {
        var machine = SchedulerStateMachine(configuration: SchedulerConfiguration(defaultGatewayLimits: immediate, maxLease: .seconds(100)))
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        let batch = try #require(machine.pull(gatewayID: "G1", lease: .seconds(1000), now: TestClock.at(0)).batch)
        #expect(batch.expiresAt == TestClock.at(100))
        #expect(machine.extendLease(batch.lease, by: .seconds(1000), now: TestClock.at(50)) == TestClock.at(150))
    }

    @Test func duplicateAndUnknownResultsAreIgnoredAndSaySo() throws {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        let first = machine.report([result("a", .accepted), result("a"), result("a"), result("zzz")], gatewayID: "G1", now: TestClock.at(1))
        #expect(first.applied == [true, true, false, false])
        let ignored = first.events.compactMap(\.ignored).map(\.reason)
        #expect(ignored == [.alreadyFinished(.completed), .unknownCommand])
        #expect(first.events.compactMap(\.completedID) == ["a"])
        #expect(machine.queuedCommand("a") == nil)
        #expect(machine.statistics(gatewayID: "G1", now: TestClock.at(1))?.inFlight == 0)
    }

    @Test func resultsFromAnotherGatewayAreIgnored() {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        let outcome = machine.report([result("a")], gatewayID: "G2", now: TestClock.at(1))
        #expect(outcome.applied == [false])
        #expect(outcome.events.compactMap(\.ignored).map(\.reason) == [.wrongGateway(expected: "G1")])
    }

    @Test func lateResultAfterLeaseExpiryCompletesTheCommandOnce() throws {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        _ = machine.advance(now: TestClock.at(30))
        #expect(machine.queuedCommand("a")?.lease == nil)
        // The head-end did act on the first delivery: that result completes the command.
        let late = machine.report([result("a")], gatewayID: "G1", now: TestClock.at(31))
        #expect(late.applied == [true])
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(31)).batch == nil)
        // And the answer to the redelivery that never happened is a duplicate.
        #expect(machine.report([result("a")], gatewayID: "G1", now: TestClock.at(32)).applied == [false])
    }

    @Test func deadLetterAfterMaxAttemptsTellsTheOrderWhatToDo() throws {
        var machine = scheduler(maxAttempts: 2)
        _ = machine.enqueue(command("disc", type: .remoteDisconnect), now: TestClock.at(0))
        _ = machine.enqueue(command("comm", type: .commission), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        let retry = machine.pull(gatewayID: "G1", now: TestClock.at(30))
        #expect(retry.batch?.commands.map(\.attempt) == [2, 2])
        let events = machine.advance(now: TestClock.at(60))
        let letters = events.compactMap(\.deadLetter)
        #expect(letters.map(\.command.commandID) == ["disc", "comm"])
        #expect(letters.map(\.outcome) == [.fallBackToField, .fail])
        #expect(letters.first?.reason == .leaseExpiredOnEveryAttempt(attempts: 2))
        #expect(machine.deadLetters.count == 2)
        #expect(machine.queuedCommand("disc") == nil)
        #expect(machine.statistics(gatewayID: "G1", now: TestClock.at(60))?.deadLettered == 2)
        #expect(machine.report([result("disc")], gatewayID: "G1", now: TestClock.at(61)).events.compactMap(\.ignored).map(\.reason)
            == [.alreadyFinished(.deadLettered)])
    }

    @Test func transientFailuresAreRetriedWithBackoffThenDeadLettered() throws {
        var machine = scheduler(maxAttempts: 3)
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        let failed = machine.report([result("a", .failed, failure: .transient)], gatewayID: "G1", now: TestClock.at(1))
        #expect(failed.applied == [true])
        guard case .retryScheduled(_, let attempt, let at, _) = failed.events.first else {
            Issue.record("expected a retry, got \(failed.events)")
            return
        }
        #expect(attempt == 2)
        #expect(at == TestClock.at(6))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(5)).wait == .notDueUntil(TestClock.at(6)))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(6)).ids == ["a"])
        _ = machine.report([result("a", .failed, failure: .transient)], gatewayID: "G1", now: TestClock.at(7))
        // Back-off doubles: 5 s, then 10 s.
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(16.9)).batch == nil)
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(17)).batch?.commands.map(\.attempt) == [3])
        let last = machine.report([result("a", .failed, failure: .transient)], gatewayID: "G1", now: TestClock.at(18))
        #expect(last.events.compactMap(\.deadLetter).map(\.reason) == [.transientFailureOnEveryAttempt(attempts: 3, detail: "busy")])
    }

    @Test func permanentFailureAndUnknownOutcomeAreFinal() {
        var machine = scheduler()
        _ = machine.enqueue(command("p"), now: TestClock.at(0))
        _ = machine.enqueue(command("u"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        let outcome = machine.report(
            [result("p", .failed, failure: .permanent), result("u", .outcomeUnknown)], gatewayID: "G1", now: TestClock.at(1))
        #expect(outcome.events.compactMap(\.completedID) == ["p", "u"])
        let stats = machine.statistics(gatewayID: "G1", now: TestClock.at(1))
        #expect(stats?.failed == 1)
        #expect(stats?.outcomeUnknown == 1)
        #expect(stats?.successRate == 0)
    }

    @Test func expiredCommandsAreNeverSent() {
        var machine = scheduler()
        #expect(machine.enqueue(command("stale", expiresAt: TestClock.at(0)), now: TestClock.at(0)) == .expired)
        _ = machine.enqueue(command("soon", due: TestClock.at(5), expiresAt: TestClock.at(10)), now: TestClock.at(0))
        _ = machine.enqueue(command("ok", expiresAt: TestClock.at(100)), now: TestClock.at(0))
        #expect(machine.pull(gatewayID: "G1", now: TestClock.at(0)).ids == ["ok"])
        let later = machine.pull(gatewayID: "G1", now: TestClock.at(10))
        #expect(later.batch == nil)
        #expect(later.events.compactMap(\.expiredID) == ["soon"])
        #expect(machine.statistics(gatewayID: "G1", now: TestClock.at(10))?.expired == 1)
    }

    @Test func leasedCommandPastItsExpiryIsNotRedelivered() {
        var machine = scheduler()
        _ = machine.enqueue(command("a", expiresAt: TestClock.at(20)), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        // Its expiry passes while leased: the result may still come.
        #expect(machine.advance(now: TestClock.at(25)).isEmpty)
        let ended = machine.advance(now: TestClock.at(30))
        #expect(ended.compactMap(\.expiredID) == ["a"])
        #expect(ended.compactMap(\.redelivery).isEmpty)
    }

    @Test func nextDeadlineNamesTheEarliestTimer() throws {
        var machine = scheduler()
        #expect(machine.nextDeadline == nil)
        _ = machine.enqueue(command("a", expiresAt: TestClock.at(100)), now: TestClock.at(0))
        _ = machine.enqueue(command("b", gateway: "G2"), now: TestClock.at(0))
        #expect(machine.nextDeadline == TestClock.at(100))
        _ = machine.pull(gatewayID: "G2", now: TestClock.at(0))
        #expect(machine.nextDeadline == TestClock.at(30))
    }
}
