import SOMCodec
import SOMOrchestration
import Testing

/// Issue 10, the domain's part: activities name their meter, device facts are learned, one visit
/// for a dead SP, and what operators read is true.
@Suite("Issue 10: meters on activities, learned device facts, combined visits, true texts", .timeLimit(.minutes(1)))
struct Issue10DomainTests {
    typealias F = Fixture

    @Test("exchange: the field item names the old meter and the requested new one; the decommission names the removed meter")
    func exchangeNamesMeters() {
        var order = F.order(.exchangeMeter)
        order.request?.newMeterID = "M2"
        var d = Driver(order, F.device(.smartWithSwitch, .connected))
        d.step(.evaluate)
        #expect(d.last.fieldActivity == .exchange && d.last.meterID == "M1" && d.last.newMeterID == "M2")
        #expect(d.last.meterTechnology == .smartWithSwitch && d.last.supplyStateFound == .connected && d.last.remarks.isEmpty)
        d.fieldDone(supplyAfter: .disconnected, installed: "M2", technology: .smartWithSwitch, gateway: "GW2")
        #expect(d.last.command == .decommission && d.last.meterID == "M1" && d.last.gatewayID == "GW1")
        d.command(.succeeded)
        #expect(d.device?.meterID == "M2", "decommissioning the old meter leaves the new one alone")
        #expect(d.last.command == .commission && d.last.meterID == "M2" && d.last.gatewayID == "GW2")
    }

    @Test("an exchange stored before the meter fields existed still decommissions the meter in its remarks")
    func legacyMemo() {
        var order = F.order(.exchangeMeter)
        var exchange = F.activity(order, field: .exchange, status: .succeeded)
        exchange.remarks = "meter=M0;technology=METER_TECHNOLOGY_SMART_WITH_SWITCH;gateway=GW0;supply_before=SUPPLY_STATE_DISCONNECTED; | done"
        order.activities.append(exchange)
        var d = Driver(order, F.device(.smartWithSwitch, .disconnected, commissioned: false))
        d.step(.evaluate)
        #expect(d.last.command == .decommission && d.last.meterID == "M0" && d.last.gatewayID == "GW0")
    }

    @Test("a switch that is not capable is learned: the device loses its switch, with an event, and a crew cuts")
    func noSwitchLearned() {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch, .connected))
        d.step(.evaluate)
        #expect(d.last.command == .remoteDisconnect)
        let activity = d.outstanding!
        let decision = d.step(.commandResult(CommandResult(
            commandID: activity.activityID, kind: .failed, failureClass: .permanent, detail: "switch not capable", at: d.now, finding: .noSwitch)))
        #expect(d.device?.technology == .smartNoSwitch)
        #expect(decision.events.contains { $0.type == .deviceUpdated && $0.detail.contains("no remote switch") })
        #expect(d.last.fieldActivity == .turnOff)
        // The next order on the SP plans from the learned fact: no remote connect is tried.
        var next = Driver(F.order(.reconnectForPayment, id: "SO2"), d.device)
        next.device?.supplyState = .disconnected
        next.step(.evaluate)
        #expect(next.last.fieldActivity != .unspecified, "planned \(Describe(next.last))")
    }

    @Test("not commissioned and another meter are learned from results; a status check that contradicts the record is an event")
    func otherFindings() {
        var d = Driver(F.order(.offCycleRead), F.device(.smartWithSwitch, .connected))
        d.step(.evaluate)
        #expect(d.last.command == .onDemandRead)
        var decision = d.step(.commandResult(CommandResult(commandID: d.outstanding!.activityID, kind: .failed, failureClass: .permanent, at: d.now, finding: .notCommissioned)))
        #expect(d.device?.commissioned == false && decision.events.contains { $0.type == .deviceUpdated })

        var e = Driver(F.order(.investigate), F.device(.smartWithSwitch, .connected))
        e.step(.evaluate)
        #expect(e.last.command == .statusCheck)
        decision = e.step(.commandResult(CommandResult(commandID: e.outstanding!.activityID, kind: .succeeded, observedSupplyState: .disconnected, at: e.now)))
        #expect(e.device?.supplyState == .disconnected)
        #expect(decision.events.contains { $0.type == .deviceUpdated && $0.detail.contains("DISCONNECTED") })

        var r = Driver(F.order(.investigate), F.device(.smartWithSwitch, .connected))
        r.step(.evaluate)
        decision = r.step(.commandResult(CommandResult(commandID: r.outstanding!.activityID, kind: .failed, failureClass: .permanent, at: r.now, finding: .meterReplaced, foundMeterID: "M9")))
        #expect(r.device?.meterID == "M9" && r.device?.commissioned == false)
        #expect(decision.events.contains { $0.type == .deviceUpdated && $0.detail.contains("M9") })
    }

    @Test("a confirming status check is not news")
    func confirmingCheckNoEvent() {
        var e = Driver(F.order(.investigate), F.device(.smartWithSwitch, .connected))
        e.step(.evaluate)
        let decision = e.step(.commandResult(CommandResult(commandID: e.outstanding!.activityID, kind: .succeeded, observedSupplyState: .connected, at: e.now)))
        #expect(!decision.events.contains { $0.type == .deviceUpdated })
    }

    @Test("dead SP without a meter: connect at source and install are one visit, then commission, ping and the reading")
    func combinedVisit() {
        var d = Driver(F.order(.enableService), F.device(.none, .disconnected, location: .source))
        d.step(.evaluate)
        #expect(d.last.fieldActivity == .connectAtSource && d.last.combinedWith == [.install])
        d.fieldDone(readings: [F.reading(5, at: d.now, meter: "MN", source: .field)], supplyAfter: .connected,
                    installed: "MN", technology: .smartWithSwitch, gateway: "GW7")
        #expect(d.device?.meterID == "MN" && d.device?.supplyState == .connected)
        #expect(d.last.command == .commission)
        d.command(.succeeded)
        #expect(d.last.command == .statusCheck && !d.last.verification, "the ping after commissioning is sent")
        d.command(.succeeded, observed: .connected)
        #expect(d.order.status == .completed, "\(d.order.statusDetail)")
        #expect(d.order.activities.filter { $0.fieldActivity != .unspecified }.count == 1, "one visit")
        #expect(d.order.statusDetail.contains("connected at the source and installed a meter"), "\(d.order.statusDetail)")
    }

    @Test("a completion says what the order did and what it read, not the row's name")
    func completionDetail() {
        var d = Driver(F.order(.enableService), F.device(.smartWithSwitch, .disconnected, location: .meterSwitch))
        d.step(.evaluate)
        d.command(.succeeded)
        d.command(.succeeded, observed: .connected)
        #expect(d.last.command == .onDemandRead)
        d.command(.succeeded, reading: F.reading(123_456, at: d.now, source: .onDemand))
        #expect(d.order.status == .completed)
        #expect(d.order.statusDetail == "completed: connected remotely, verified by status check, read 123.456 kWh on M1 (on demand)", "\(d.order.statusDetail)")

        // A reading that already existed is used, not read.
        var on = Driver(F.order(.enableService), F.device(.smartWithSwitch, .connected, lastReading: F.reading(42_000, at: F.at(plus: -F.hour))))
        on.step(.evaluate)
        #expect(on.order.statusDetail == "completed: used the reading 42.000 kWh on M1 (scheduled)", "\(on.order.statusDetail)")

        var off = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch, .disconnected))
        off.step(.evaluate)
        #expect(off.order.outcome == .noActionNeeded && off.order.statusDetail == "completed: nothing needed doing (already off)", "\(off.order.statusDetail)")
    }

    @Test("no status-change event when status, sub-status and hold stay the same")
    func noEventWithoutChange() {
        var d = Driver(F.order(.enableService), F.device(.smartWithSwitch, .disconnected, location: .meterSwitch))
        d.step(.evaluate)
        #expect(d.last.command == .remoteConnect && d.order.subStatus == .awaitingCommand)
        // The connect succeeded; the order now awaits its verification: another command, same state.
        let decision = d.command(.succeeded)
        #expect(d.last.verification && d.order.status == .inProgress && d.order.subStatus == .awaitingCommand)
        #expect(d.order.statusDetail.contains(d.last.activityID), "the detail still names what it waits for")
        #expect(!decision.events.contains { [.statusChanged, .released, .held].contains($0.type) }, "\(decision.events.map(\.type))")
        let recheck = d.step(.recheckDue)
        #expect(recheck.events.isEmpty, "\(recheck.events.map(\.type))")
    }
}

private func Describe(_ activity: Activity) -> String { "\(activity.command) \(activity.fieldActivity)" }
