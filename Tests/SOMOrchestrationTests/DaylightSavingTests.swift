import SOMCodec
import SOMOrchestration
import Testing

/// Calendars in a zone with daylight saving (issue 10, item 8): Europe/Berlin in 2026 written by
/// hand, so the domain is tested without tzdata (the rules-file tests read the real zone).
@Suite("Disconnect calendars with daylight saving", .timeLimit(.minutes(1)))
struct DaylightSavingTests {
    /// 2026-03-29 01:00Z: 02:00 CET becomes 03:00 CEST. 2026-10-25 01:00Z: 03:00 CEST becomes 02:00 CET.
    static let spring: Int64 = 1_774_746_000
    static let autumn: Int64 = 1_792_890_000
    static let berlin = ZoneOffsets(name: "Europe/Berlin", initialOffsetSeconds: 3600,
                                    transitions: [(spring, 7200), (autumn, 3600)])
    static func utc(_ seconds: Int64) -> Timestamp { Timestamp(seconds: seconds) }
    static let hour: Int64 = 3600

    static func calendar(opening: Int, cutoff: Int) -> DisconnectCalendar {
        var calendar = DisconnectCalendar(utcOffsetSeconds: 3600, closedWeekdays: [], closedBeforeHolidays: false, openingHour: opening, cutoffHour: cutoff)
        calendar.zone = berlin
        return calendar
    }

    @Test("offsets switch at the transitions; local time follows them")
    func offsets() {
        let calendar = Self.calendar(opening: 8, cutoff: 15)
        #expect(calendar.offset(at: Self.utc(Self.spring - 1)) == 3600 && calendar.offset(at: Self.utc(Self.spring)) == 7200)
        #expect(calendar.offset(at: Self.utc(Self.autumn - 1)) == 7200 && calendar.offset(at: Self.utc(Self.autumn)) == 3600)
        // Monday 2026-03-30 06:00Z is 08:00 in Berlin (summer time): open; a fixed +1 would say 07:00, closed.
        let monday6 = Self.utc(Self.spring + 29 * Self.hour)
        #expect(calendar.local(monday6).secondOfDay == 8 * 3600 && calendar.isOpen(at: monday6))
        var fixed = calendar
        fixed.zone = nil
        #expect(!fixed.isOpen(at: monday6))
        // The window closes at 15:00 summer time, 13:00Z.
        #expect(calendar.closing(after: monday6) == Self.utc(Self.spring + 36 * Self.hour))
    }

    @Test("spring: the hour that does not exist opens the window at the first local time after the jump")
    func nonexistentHour() {
        // Cuts from 02:30 on 2026-03-29: 02:30 never shows on Berlin clocks that night.
        let calendar = Self.calendar(opening: 2, cutoff: 15)
        let localHalfPastTwo = Int64(CivilDate(2026, 3, 29).daysSinceEpoch) * 86_400 + 2 * 3600 + 1800
        // Read with the offset before the jump: 01:30Z, which the clocks show as 03:30 CEST.
        #expect(Self.berlin.instant(localSeconds: localHalfPastTwo) == Self.spring + 1800)
        let before = Self.utc(Self.spring - 30 * 60)  // 01:30 CET
        #expect(!calendar.isOpen(at: before))
        #expect(calendar.nextOpening(atOrAfter: before) == Self.utc(Self.spring), "02:00 local does not exist; 03:00 CEST is the first moment at or after it")
        #expect(calendar.isOpen(at: Self.utc(Self.spring)))
        // The day has 23 hours: the same local time one business day later is 24 - 1 hours on.
        #expect(calendar.addingBusinessDays(1, to: Self.utc(Self.spring - 2 * Self.hour)).seconds == Self.spring - 2 * Self.hour + 23 * Self.hour)
    }

    @Test("autumn: the hour that happens twice is its first occurrence, and the window stays open through both")
    func repeatedHour() {
        let localHalfPastTwo = Int64(CivilDate(2026, 10, 25).daysSinceEpoch) * 86_400 + 2 * 3600 + 1800
        // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET): the first is taken.
        #expect(Self.berlin.instant(localSeconds: localHalfPastTwo) == Self.autumn - 1800)
        // Cuts until 03:00: 03:00 CET is 02:00Z, so both 02:xx hours are inside the window.
        let calendar = Self.calendar(opening: 0, cutoff: 3)
        let firstTwoThirty = Self.utc(Self.autumn - 1800)
        let secondTwoThirty = Self.utc(Self.autumn + 1800)
        #expect(calendar.isOpen(at: firstTwoThirty) && calendar.isOpen(at: secondTwoThirty))
        #expect(calendar.closing(after: firstTwoThirty) == Self.utc(Self.autumn + Self.hour))
        #expect(!calendar.isOpen(at: Self.utc(Self.autumn + Self.hour)))
        // Opening at 02:00 on that day means the first 02:00 (00:00Z).
        let opensAtTwo = Self.calendar(opening: 2, cutoff: 15)
        #expect(opensAtTwo.nextOpening(atOrAfter: Self.utc(Self.autumn - 3 * Self.hour)) == Self.utc(Self.autumn - Self.hour))
    }

    @Test("a held cut in a DST zone is re-checked when the local window opens")
    func heldCutRecheck() {
        var rules = BusinessInputs(calendar: Self.calendar(opening: 8, cutoff: 15))
        rules.calendar.closedWeekdays = [.saturday, .sunday]
        // Saturday 2026-03-28 10:00Z (winter time): closed; Monday 08:00 CEST is 06:00Z.
        var d = Driver(Fixture.order(.cutForNonPayment), Fixture.device(.smartWithSwitch, .connected))
        d.rules = rules
        d.now = Self.utc(Self.spring - 15 * Self.hour)
        d.step(.evaluate)
        #expect(d.order.status == .held && d.order.nextCheckAt == Self.utc(Self.spring + 29 * Self.hour), "\(d.order.statusDetail)")
    }
}
