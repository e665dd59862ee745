import SOMCodec
import SOMOrchestration
import Testing

@Suite("Reading policy and meter work", .timeLimit(.minutes(2)))
struct ReadingAndMeterWorkTests {
    typealias F = Fixture

    @Test("an existing reading within the tolerance serves; an older one does not")
    func existingReading() {
        var fresh = Driver(F.order(.enableService), F.device(.smartWithSwitch, .connected, lastReading: F.reading(9, at: F.at(plus: -6 * F.hour))))
        fresh.step(.evaluate)
        #expect(fresh.order.status == .completed && fresh.order.outcome == .noActionNeeded && fresh.order.reading?.valueMilli == 9)
        var stale = Driver(F.order(.enableService), F.device(.smartWithSwitch, .connected, lastReading: F.reading(9, at: F.at(plus: -30 * F.hour))))
        stale.step(.evaluate)
        #expect(stale.last.command == .onDemandRead)
    }

    @Test("ODR fails → field read; field read missed → flagged estimate where allowed")
    func fallbackToEstimate() {
        var d = Driver(F.order(.disableService), F.device(.smartWithSwitch, .disconnected, lastReading: F.reading(77, at: F.at(plus: -10 * F.day))))
        d.step(.evaluate)
        #expect(d.last.command == .onDemandRead)
        d.command(.failed, failure: .permanent)
        #expect(d.last.fieldActivity == .read)
        d.fieldNotDone(.noAccess)
        #expect(d.order.status == .completed)
        #expect(d.order.reading?.estimated == true && d.order.reading?.source == .estimate && d.order.reading?.valueMilli == 77)
    }

    @Test("off-cycle read: no existing reading, no estimate; fails after the visit limit")
    func offCycleNoEstimate() {
        var d = Driver(F.order(.offCycleRead), F.device(.manual, lastReading: F.reading(1, at: F.monday10)))
        d.step(.evaluate)
        #expect(d.last.fieldActivity == .read)
        for _ in 0..<3 { d.fieldNotDone(.noAccess) }
        #expect(d.order.status == .failed && d.order.statusDetail.contains("no reading"))
    }

    @Test("exchange: old meter connected → decommission old, commission new, connect new, verify, reading")
    func exchange() {
        var d = Driver(F.order(.exchangeMeter), F.device(.smartWithSwitch, .connected))
        d.step(.evaluate)
        #expect(d.last.fieldActivity == .exchange && d.last.supplyStateFound == .connected && d.last.meterID == "M1")
        let done = d.fieldDone(readings: [F.reading(100, at: d.now, meter: "M1", source: .field), F.reading(0, at: d.now, meter: "M2", source: .field)],
                               supplyAfter: .disconnected, installed: "M2", technology: .smartWithSwitch, gateway: "GW2")
        #expect(done.events.contains { $0.type == .readingRecorded && $0.reading?.meterID == "M1" })
        #expect(d.device?.meterID == "M2" && d.device?.commissioned == false)
        #expect(d.last.command == .decommission && d.last.gatewayID == "GW1" && d.last.meterID == "M1" && d.last.remarks.isEmpty)
        d.command(.succeeded)
        #expect(d.last.command == .commission && d.last.gatewayID == "GW2")
        d.command(.succeeded)
        #expect(d.last.command == .remoteConnect)
        d.command(.succeeded)
        d.command(.succeeded, observed: .connected)
        #expect(d.order.status == .completed && d.order.reading?.meterID == "M2" && d.order.outcome == .completedField)
    }

    @Test("exchange: old meter off → the new one is not connected")
    func exchangeOff() {
        var d = Driver(F.order(.exchangeMeter), F.device(.manual, .disconnected, location: .meterSeal))
        d.step(.evaluate)
        d.fieldDone(readings: [F.reading(100, at: d.now, meter: "M1"), F.reading(0, at: d.now, meter: "M2")], supplyAfter: .disconnected, installed: "M2", technology: .manual)
        #expect(d.order.status == .completed && !d.order.activities.contains { $0.command == .remoteConnect || $0.fieldActivity == .turnOn })
    }

    @Test("install on a new SP: F: install → commission → ping → initial reading")
    func install() {
        var d = Driver(F.order(.installMeter), nil)
        d.step(.evaluate)
        #expect(d.last.fieldActivity == .install)
        d.fieldDone(readings: [F.reading(0, at: d.now, meter: "M9")], installed: "M9", technology: .smartNoSwitch, gateway: "GW3")
        #expect(d.last.command == .commission)
        d.command(.succeeded)
        #expect(d.last.command == .statusCheck && !d.last.verification)
        d.command(.succeeded, observed: .connected)
        #expect(d.order.status == .completed && d.order.reading?.meterID == "M9")
    }

    @Test("remove: final reading → F: remove → C: decommission → SP meterless")
    func remove() {
        var d = Driver(F.order(.removeMeter), F.device(.smartNoSwitch, .disconnected, lastReading: F.reading(50, at: F.monday10)))
        d.step(.evaluate)
        #expect(d.order.reading?.valueMilli == 50 && d.last.fieldActivity == .remove)
        d.fieldDone()
        #expect(d.device?.technology == MeterTechnology.none && d.device?.meterID == "")
        #expect(d.last.command == .decommission && d.last.meterID == "M1")
        d.command(.succeeded)
        #expect(d.order.status == .completed)
    }

    @Test("investigate: a normal ping and read complete remotely; an abnormal ping sends a crew")
    func investigate() {
        var normal = Driver(F.order(.investigate), F.device(.smartWithSwitch))
        normal.step(.evaluate)
        normal.command(.succeeded, observed: .connected)
        #expect(normal.last.command == .onDemandRead)
        normal.command(.succeeded, reading: F.reading(3, at: normal.now, source: .onDemand))
        #expect(normal.order.status == .completed && normal.order.outcome == .completedRemote)
        var abnormal = Driver(F.order(.investigate), F.device(.smartWithSwitch))
        abnormal.step(.evaluate)
        abnormal.command(.failed, failure: .permanent)
        #expect(abnormal.last.fieldActivity == .investigate)
    }

    @Test("device test: configure → verify; a configuration that cannot be verified sends a crew to test")
    func deviceTest() {
        var d = Driver(F.order(.deviceTest), F.device(.smartNoSwitch))
        d.step(.evaluate)
        #expect(d.last.command == .configure)
        d.command(.succeeded)
        #expect(d.last.verification)
        d.command(.succeeded)
        #expect(d.order.status == .completed && d.order.outcome == .completedRemote)
        var unverified = Driver(F.order(.deviceTest), F.device(.smartNoSwitch))
        unverified.step(.evaluate)
        unverified.command(.succeeded)
        unverified.command(.failed, failure: .permanent)
        #expect(unverified.last.fieldActivity == .test)
    }
}
