import SOMCodec
import SOMScheduler
import Testing

@Suite("Restore from persisted state", .timeLimit(.minutes(2)))
struct RestoreTests {
    /// A scheduler with a mix: several gateways, priorities, due times, expiries, a leased batch,
    /// an accepted command, a cancelled in-flight command and finished ones.
    private func busyScheduler() -> SchedulerStateMachine {
        var machine = scheduler(GatewayLimits(batchSize: 4, linger: .seconds(2)), ageStep: .seconds(60))
        let priorities: [Priority] = [.readsAndDeviceWork, .cutForNonPayment, .reconnect, .emergency, .serviceChange, .meterWork]
        for index in 0..<60 {
            let at = TestClock.at(Double(index))
            _ = machine.enqueue(
                command(
                    "c\(index)", gateway: "G\(index % 3)", order: "O\(index % 17)", priority: priorities[index % priorities.count],
                    due: index % 5 == 0 ? TestClock.at(Double(index + 90)) : nil,
                    expiresAt: index % 7 == 0 ? TestClock.at(Double(index + 60)) : nil),
                now: at)
        }
        let now = TestClock.at(60)
        let leased = machine.pull(gatewayID: "G0", now: now).ids
        _ = machine.report([result(leased[0]), result(leased[1], .accepted)], gatewayID: "G0", now: now)
        _ = machine.cancel(commandID: CommandAttemptID(leased[2]), now: now)
        _ = machine.pull(gatewayID: "G1", now: now)
        _ = machine.cancel(orderID: "O5", now: now)
        return machine
    }

    /// What a sequence of calls returns, minus lease ids (new leases are numbered afresh).
    private func script(_ machine: inout SchedulerStateMachine) -> [String] {
        var log: [String] = []
        for step in 0..<40 {
            let now = TestClock.at(61 + Double(step) * 3)
            for gateway: GatewayID in ["G0", "G1", "G2"] {
                let pulled = machine.pull(gatewayID: gateway, now: now)
                log.append("\(step) \(gateway) \(pulled.batch?.commands.map { "\($0.commandID)#\($0.attempt)" } ?? []) \(String(describing: pulled.wait))")
                log += pulled.events.compactMap(describe)
                if step % 2 == 0 {
                    log += machine.report(pulled.ids.prefix(2).map { result($0) }, gatewayID: gateway, now: now).events.compactMap(describe)
                }
            }
        }
        return log
    }

    private func describe(_ event: SchedulerEvent) -> String? {
        switch event {
        case .dispatched, .leaseExpired: nil
        case .redeliveryQueued(let reference, let attempt): "redeliver \(reference.commandID)#\(attempt)"
        case .expired(let command): "expired \(command.commandID)"
        case .deadLettered(let letter): "dead \(letter.command.commandID)"
        case .completed(let reference, _): "completed \(reference.commandID)"
        case .ignoredResult(let ignored): "ignored \(ignored.result.commandID) \(ignored.reason)"
        default: "\(event)"
        }
    }

    @Test func restoredSchedulerPullsWhatTheOriginalWould() {
        var original = busyScheduler()
        let snapshot = original.snapshot()
        #expect(snapshot.leases.count == 2)
        #expect(snapshot.commands.contains { $0.accepted })
        #expect(snapshot.commands.contains { $0.cancelRequested })
        var restored = SchedulerStateMachine(
            configuration: original.configuration, restoring: snapshot, now: TestClock.at(60))
        #expect(restored.snapshot() == snapshot)
        #expect(restored.queuedCount == original.queuedCount)
        #expect(restored.inFlightCount == original.inFlightCount)
        let expected = script(&original)
        let actual = script(&restored)
        #expect(actual == expected)
        #expect(expected.contains { $0.hasPrefix("redeliver") })
        #expect(expected.contains { $0.hasPrefix("expired") })
    }

    @Test func restoredLeaseIdsNeverRepeat() throws {
        var original = scheduler()
        _ = original.enqueue(command("a"), now: TestClock.at(0))
        let old = try #require(original.pull(gatewayID: "G1", now: TestClock.at(0)).batch?.lease)
        _ = original.report([result("a")], gatewayID: "G1", now: TestClock.at(0))
        _ = original.enqueue(command("b"), now: TestClock.at(1))
        var restored = SchedulerStateMachine(configuration: original.configuration, restoring: original.snapshot(), now: TestClock.at(2))
        let new = try #require(restored.pull(gatewayID: "G1", now: TestClock.at(2)).batch?.lease)
        #expect(new > old)
        #expect(restored.extendLease(old, now: TestClock.at(2)) == nil)
    }

    @Test func commandWhoseLeaseWasLostIsQueuedAgain() {
        var machine = scheduler()
        _ = machine.enqueue(command("a"), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", now: TestClock.at(0))
        var snapshot = machine.snapshot()
        snapshot.leases = []
        var restored = SchedulerStateMachine(configuration: machine.configuration, restoring: snapshot, now: TestClock.at(1))
        #expect(restored.pull(gatewayID: "G1", now: TestClock.at(1)).batch?.commands.map(\.attempt) == [2])
    }

    @Test func commandThatExpiredDuringTheRestartIsReportedNotDropped() {
        var machine = scheduler()
        _ = machine.enqueue(command("a", expiresAt: TestClock.at(100)), now: TestClock.at(0))
        _ = machine.enqueue(command("b", expiresAt: TestClock.at(100)), now: TestClock.at(0))
        _ = machine.pull(gatewayID: "G1", maxBatch: 1, now: TestClock.at(0))
        var restored = SchedulerStateMachine(configuration: machine.configuration, restoring: machine.snapshot(), now: TestClock.at(500))
        let events = restored.advance(now: TestClock.at(500))
        #expect(Set(events.compactMap(\.expiredID)) == ["a", "b"])
        #expect(restored.queuedCount == 0 && restored.inFlightCount == 0)
    }

    @Test func wireCommandRoundTrip() {
        let wire = Command(
            commandID: "c1", type: .configure, servicePointID: "SP1", meterID: "M1", gatewayID: "G1", priority: .meterWork,
            dueAt: Timestamp(seconds: 1_700_000_000, nanos: 5), expiresAt: Timestamp(seconds: 1_700_000_100),
            attempt: 2, parameters: [1, 2, 3], orderID: "SO1")
        #expect(QueuedCommand(wire).message == wire)
        #expect(SchedulerInstant(wire.dueAt!).timestamp == wire.dueAt)
        #expect(SchedulerInstant(Timestamp(seconds: -1, nanos: 500)).timestamp == Timestamp(seconds: -1, nanos: 500))
        #expect(LeaseID("L42") == LeaseID(rawValue: 42))
        #expect(LeaseID("42") == nil)
        #expect(LeaseID(rawValue: 7).description == "L7")
    }
}
