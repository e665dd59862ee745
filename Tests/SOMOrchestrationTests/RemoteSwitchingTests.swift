import SOMCodec
import SOMOrchestration
import Testing

@Suite("Commands: verification, retries and failure classes", .timeLimit(.minutes(2)))
struct RemoteSwitchingTests {
    typealias F = Fixture

    func enableOpenSwitch() -> Driver {
        Driver(F.order(.enableService), F.device(.smartWithSwitch, .disconnected, location: .meterSwitch))
    }

    @Test("enable, switch open: connect → verify → ODR → COMPLETED remote with the reading in the completion event")
    func happyPath() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        #expect(d.last.command == .remoteConnect && d.order.status == .inProgress && d.order.subStatus == .awaitingCommand)
        #expect(d.last.activityID == "SO1-A1" && d.last.gatewayID == "GW1" && d.last.priority == .serviceChange)
        d.command(.succeeded)
        #expect(d.last.command == .statusCheck && d.last.verification)
        #expect(d.device?.supplyState == .connected)
        d.command(.succeeded, observed: .connected)
        #expect(d.last.command == .onDemandRead && d.order.subStatus == .awaitingReading)
        let reading = F.reading(42_000, at: d.now, source: .onDemand)
        let final = d.command(.succeeded, reading: reading)
        #expect(d.order.status == .completed && d.order.outcome == .completedRemote)
        #expect(d.order.reading == reading && d.order.nextCheckAt == nil)
        let completed = final.events.first { $0.type == .completed }
        #expect(completed?.reading == reading)
        #expect(final.events.contains { $0.type == .readingRecorded })
    }

    @Test("outcome unknown → status check first; never a second connect while the first may have happened")
    func outcomeUnknownVerifiesFirst() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        let decision = d.command(.outcomeUnknown)
        #expect(decision.activitiesToCreate.map(\.command) == [.statusCheck])
        #expect(decision.activitiesToCreate.first?.verification == true)
        #expect(decision.activitiesToRetry.isEmpty)
        #expect(d.order.activities[0].status == .outcomeUnknown && d.device?.supplyState == .unknown)
        // The check says it happened: no retry at all.
        let verified = d.command(.succeeded, observed: .connected)
        #expect(d.order.activities[0].status == .succeeded)
        #expect(!verified.activitiesToRetry.contains { $0.command == .remoteConnect })
        #expect(!d.order.activities.dropFirst().contains { $0.command == .remoteConnect })
    }

    @Test("a status check that says the connect did not happen allows exactly one re-issue")
    func verifiedNotHappenedReissues() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        d.command(.outcomeUnknown)
        let decision = d.command(.succeeded, observed: .disconnected)
        #expect(decision.activitiesToRetry.map(\.activityID) == ["SO1-A1"])
        #expect(d.order.activities[0].attempts.count == 2 && d.order.activities[0].status == .queued)
        #expect(d.order.activities[0].attempts[0].result == .failed)
    }

    @Test("unknown failure class is handled like outcome unknown")
    func unknownClass() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        let decision = d.command(.failed, failure: .unknown)
        #expect(decision.activitiesToCreate.first?.verification == true)
        #expect(d.order.activities[0].status == .outcomeUnknown)
    }

    @Test("transient: exponential back-off up to the attempt limit, then the field row")
    func transientBackoff() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        var waits: [Int64] = []
        for _ in 0..<3 {
            let decision = d.command(.failed, failure: .transient)
            let retried = decision.activitiesToRetry.first!
            waits.append(retried.dueAt!.seconds - d.now.seconds)
        }
        #expect(waits == [30, 60, 120])
        #expect(d.order.activities[0].attempts.count == 4)
        d.command(.failed, failure: .transient)
        #expect(d.order.activities[0].status == .failed)
        #expect(d.last.fieldActivity == .turnOn && d.order.subStatus == .awaitingFieldWork)
        #expect(d.decisions.last!.rowsApplied.first == "ENABLE_SERVICE: smart with switch, remote connect failed → F: turn on → C: ODR")
    }

    @Test("permanent: straight to field work")
    func permanent() {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch, .connected))
        d.step(.evaluate)
        #expect(d.last.command == .remoteDisconnect)
        d.command(.failed, failure: .permanent)
        #expect(d.last.fieldActivity == .turnOff)
        d.fieldDone(readings: [F.reading(7_000, at: d.now, source: .field)], location: .pole)
        #expect(d.order.status == .completed && d.order.outcome == .completedField)
        #expect(d.device?.disconnectLocation == .pole && d.device?.supplyState == .disconnected)
    }

    @Test("safety-refused: HELD (safety) with reason and review time; an operator release retries the same command")
    func safetyRefused() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        d.command(.failed, failure: .safetyRefused)
        #expect(d.order.status == .held && d.order.holdReason == .safety)
        #expect(d.order.statusDetail.contains("contact the customer") && d.order.nextCheckAt != nil)
        // A re-check does not release it.
        d.advance(25 * F.hour)
        d.step(.recheckDue)
        #expect(d.order.status == .held)
        let released = d.step(.holdReleased(note: "customer switched appliances off"))
        #expect(released.events.contains { $0.type == .released })
        #expect(released.activitiesToRetry.map(\.activityID) == ["SO1-A1"] && d.order.activities[0].attempts.count == 2)
        #expect(d.order.status == .inProgress)
    }

    @Test("a command expiring in the queue was never sent: queued again; one expiring in flight is outcome unknown")
    func timeouts() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        let queued = d.step(.timedOut(activityID: "SO1-A1"))
        #expect(queued.activitiesToRetry.count == 1 && d.order.activities[0].attempts[0].result == .expired)
        d.step(.activityProgress(activityID: "SO1-A1", status: .dispatched))
        d.advance(2 * F.hour)
        let inFlight = d.step(.recheckDue)
        #expect(d.order.activities[0].status == .outcomeUnknown)
        #expect(inFlight.activitiesToCreate.first?.verification == true)
    }

    @Test("verification that cannot answer → the remote path is given up: field work, not a blind retry")
    func verificationExhausted() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        d.command(.outcomeUnknown)
        for _ in 0..<3 { d.command(.failed, failure: .transient) }
        #expect(d.last.fieldActivity == .turnOn)
        #expect(d.order.activities.filter { $0.command == .remoteConnect }.count == 1)
        #expect(d.order.activities[0].attempts.count == 1)
    }

    @Test("duplicate and unknown results change nothing")
    func duplicates() {
        var d = enableOpenSwitch()
        d.step(.evaluate)
        d.command(.succeeded)
        let duplicate = d.step(.commandResult(CommandResult(commandID: "SO1-A1", kind: .succeeded)))
        #expect(duplicate.ignoredBecause != nil && duplicate.events.isEmpty && duplicate.activitiesToCreate.isEmpty)
        let unknown = d.step(.commandResult(CommandResult(commandID: "nope", kind: .succeeded)))
        #expect(unknown.ignoredBecause != nil)
    }

    @Test("arm mode: the customer presses the button; without it a crew goes after the window")
    func armMode() {
        var policy = OrchestrationPolicy()
        policy.connectMode = .arm
        var d = Driver(F.order(.reconnectForPayment), F.device(.smartWithSwitch, .disconnected, location: .meterSwitch), policy: policy)
        d.step(.evaluate)
        #expect(d.last.command == .arm)
        d.command(.succeeded)
        d.command(.succeeded, observed: .armed)
        #expect(d.order.subStatus == .awaitingCustomer && d.order.nextCheckAt == Fixture.at(d.now, plus: 4 * F.hour))
        d.advance(4 * F.hour)
        d.step(.recheckDue)
        #expect(d.last.command == .statusCheck && d.last.verification)
        d.command(.succeeded, observed: .armed)
        #expect(d.last.fieldActivity == .reconnect)
        // The customer pressed it after all: the crew finds it on; the order completes.
        var pressed = Driver(F.order(.reconnectForPayment), F.device(.smartWithSwitch, .disconnected, location: .meterSwitch), policy: policy)
        pressed.step(.evaluate)
        pressed.command(.succeeded)
        pressed.command(.succeeded, observed: .armed)
        pressed.device?.supplyState = .connected
        pressed.step(.deviceUpdated)
        #expect(pressed.last.command == .onDemandRead)
    }
}
