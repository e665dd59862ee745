import SOMCodec
import SOMOrchestration
import Testing

@Suite("Business rules: calendar, moratoria, critical care, guardrail, deadline", .timeLimit(.minutes(2)))
struct BusinessRuleTests {
    typealias F = Fixture
    static let saturday10 = F.at(plus: 5 * F.day)

    @Test("civil dates round-trip and know their weekday")
    func civilDates() {
        #expect(CivilDate(daysSinceEpoch: 0) == CivilDate(1970, 1, 1))
        #expect(CivilDate(1970, 1, 1).weekday == .thursday)
        #expect(CivilDate(2000, 2, 29).adding(days: 1) == CivilDate(2000, 3, 1))
        #expect(CivilDate(2025, 1, 6).weekday == .monday)
        #expect(CivilDate(1969, 12, 31).daysSinceEpoch == -1)
        for days in stride(from: -800_000, to: 800_000, by: 997) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
        #expect(LocalTime(F.monday10, utcOffsetSeconds: -11 * 3600).date == CivilDate(2025, 1, 5))
    }

    @Test("calendar closes on weekends, holidays, the day before a holiday, outside hours", arguments: [
        (Int64(5 * 86_400), "no cuts on saturday"),
        (Int64(8 * 86_400), "is a holiday"),
        (Int64(7 * 86_400), "day before a holiday"),
        (Int64(6 * 3600), "after the cut-off hour 15:00"),
        (Int64(-3 * 3600), "before the opening hour 08:00"),
    ])
    func calendarClosed(offset: Int64, reason: String) {
        let calendar = DisconnectCalendar(holidays: [CivilDate(2025, 1, 14)])
        let why = calendar.closedReason(at: F.at(plus: offset))
        #expect(why?.contains(reason) == true, "\(why ?? "open")")
    }

    @Test("the next window opens on the next cutting day at the opening hour, in local time")
    func nextOpening() {
        // UTC+2: Saturday 12:00 local → Monday 08:00 local = 06:00 UTC.
        let calendar = DisconnectCalendar(utcOffsetSeconds: 7200)
        let next = calendar.nextOpening(atOrAfter: Self.saturday10)
        #expect(next == Timestamp(seconds: F.monday10.seconds + 7 * F.day - 4 * F.hour))
        #expect(calendar.isOpen(at: F.monday10))
        #expect(calendar.closing(after: F.monday10) == Timestamp(seconds: F.monday10.seconds + 3 * F.hour))
        #expect(DisconnectCalendar(openingHour: 15, cutoffHour: 8).nextOpening(atOrAfter: F.monday10) == nil)
    }

    @Test("a cut on a weekend is HELD (calendar) until Monday's window, then proceeds")
    func calendarHold() {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch))
        d.now = Self.saturday10
        d.step(.evaluate)
        #expect(d.order.status == .held && d.order.holdReason == .disconnectCalendar)
        #expect(d.order.nextCheckAt == Timestamp(seconds: F.monday10.seconds + 7 * F.day - 2 * F.hour))
        #expect(d.order.activities.isEmpty)
        d.now = d.order.nextCheckAt!
        let released = d.step(.recheckDue)
        #expect(released.events.contains { $0.type == .released })
        #expect(d.last.command == .remoteDisconnect)
        // The command may not execute after today's cut-off.
        #expect(d.last.expiresAt == Timestamp(seconds: d.now.seconds + F.hour))
    }

    @Test("moratorium in the SP's region holds the cut until it ends; another region's does not")
    func moratorium() {
        let ends = F.at(plus: 2 * F.day)
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch),
                       rules: BusinessInputs(moratoria: [F.moratorium(from: F.at(plus: -F.hour), to: ends)]))
        d.step(.evaluate)
        #expect(d.order.holdReason == .moratorium && d.order.nextCheckAt == ends && d.order.statusDetail.contains("heat wave"))
        var elsewhere = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch),
                               rules: BusinessInputs(moratoria: [F.moratorium(region: "R2", from: F.at(plus: -F.hour), to: ends)]))
        elsewhere.step(.evaluate)
        #expect(elsewhere.last.command == .remoteDisconnect)
    }

    @Test("storm mode (open-ended, all regions) holds with its own reason and an hourly re-check")
    func stormMode() {
        var d = Driver(F.order(.cutForNonPayment), F.device(.manual),
                       rules: BusinessInputs(moratoria: [F.moratorium(region: "", reason: .stormMode, from: F.at(plus: -F.hour), to: nil)]))
        d.step(.evaluate)
        #expect(d.order.holdReason == .stormMode && d.order.nextCheckAt == F.at(plus: F.hour))
    }

    @Test("a moratorium starting soon caps the cut command's expiry")
    func upcomingMoratoriumCapsExpiry() {
        let starts = F.at(plus: 1800)
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch),
                       rules: BusinessInputs(moratoria: [F.moratorium(from: starts, to: F.at(plus: F.day))]))
        d.step(.evaluate)
        #expect(d.last.expiresAt == starts)
    }

    @Test("critical care holds the cut until the certificate expires")
    func criticalCare() {
        let until = F.at(plus: 10 * F.day)
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch, criticalCareUntil: until))
        d.step(.evaluate)
        #expect(d.order.holdReason == .criticalCare && d.order.nextCheckAt == until)
        // Other order types are not held.
        var stop = Driver(F.order(.disableService), F.device(.smartWithSwitch, criticalCareUntil: until))
        stop.step(.evaluate)
        #expect(stop.last.command == .remoteDisconnect)
    }

    @Test("a gate closing while a cut is still queued recalls it and holds the order")
    func gateClosesWhileQueued() {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch))
        d.step(.evaluate)
        d.rules.moratoria = [F.moratorium(from: F.at(plus: -60), to: F.at(plus: F.day))]
        let decision = d.step(.evaluate)
        #expect(decision.activitiesToCancel.map(\.activityID) == ["SO1-A1"])
        #expect(d.order.status == .held && d.order.holdReason == .moratorium)
    }

    @Test("mass-disconnect guardrail quarantines beyond the per-gateway or total limit until an operator releases")
    func guardrail() {
        var policy = OrchestrationPolicy()
        policy.guardrail = GuardrailLimits(perGateway: 2, total: 10)
        for volume in [DisconnectVolume(perGateway: ["GW1": 2], total: 2), DisconnectVolume(perGateway: [:], total: 10)] {
            var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch), rules: BusinessInputs(disconnectVolume: volume), policy: policy)
            d.step(.evaluate)
            #expect(d.order.status == .held && d.order.holdReason == .massDisconnectGuardrail && d.order.subStatus == .quarantined)
            #expect(d.order.activities.isEmpty && d.order.nextCheckAt != nil)
            d.advance(2 * F.hour)
            d.step(.recheckDue)
            #expect(d.order.status == .held)
            d.step(.holdReleased(note: "billing run checked"))
            #expect(d.last.command == .remoteDisconnect && d.order.status == .inProgress)
        }
    }

    @Test("reconnect deadline: EMERGENCY within 2 h, re-check planned at the escalation time")
    func reconnectEscalation() {
        var d = Driver(F.order(.reconnectForPayment), F.device(.smartWithSwitch, .disconnected, location: .meterSwitch))
        d.step(.evaluate)
        #expect(d.order.effectivePriority == .reconnect)
        #expect(d.order.deadline == F.at(plus: 24 * F.hour))
        d.step(.activityProgress(activityID: "SO1-A1", status: .dispatched))
        d.advance(22 * F.hour)
        let decision = d.step(.recheckDue)
        #expect(d.order.effectivePriority == .emergency)
        #expect(decision.events.contains { $0.detail.contains("EMERGENCY") })
        // The escalation re-check is planned when nothing earlier is due.
        var waiting = Driver(F.order(.reconnectForPayment), F.device(.manual, .disconnected, location: .meterSeal))
        waiting.step(.evaluate)
        #expect(waiting.order.nextCheckAt == F.at(plus: 22 * F.hour))
        #expect(waiting.order.deadline == F.at(plus: 24 * F.hour))
        waiting.advance(22 * F.hour)
        let escalated = waiting.step(.recheckDue)
        #expect(escalated.activitiesToReprioritize.first?.priority == .emergency)
    }

    @Test("a reconnect that needs a crew on a Friday gets one business day: Monday")
    func fieldDeadline() {
        let friday = F.at(plus: 4 * F.day)
        var d = Driver(F.order(.reconnectForPayment, now: friday), F.device(.manual, .disconnected, location: .meterSeal))
        d.now = friday
        d.step(.evaluate)
        #expect(d.last.fieldActivity == .reconnect)
        #expect(d.order.deadline == F.at(plus: 7 * F.day))
    }

    @Test("a future-dated order waits SCHEDULED until its date")
    func futureDated() {
        let later = F.at(plus: 3 * F.day)
        var d = Driver(F.order(.enableService, requestedAt: later), F.device(.manual, .disconnected))
        d.step(.evaluate)
        #expect(d.order.status == .scheduled && d.order.nextCheckAt == later && d.order.activities.isEmpty)
        d.now = later
        d.step(.recheckDue)
        #expect(d.last.fieldActivity == .turnOn)
    }
}
