public import SOMCodec

/// When non-payment cuts may be executed in one jurisdiction: weekdays, hours and holidays.
///
/// Local times follow the region's time zone (`zone`, with its daylight-saving transitions) when
/// one is given, else the fixed `utcOffsetSeconds`.
public struct DisconnectCalendar: Sendable, Hashable {
    /// The fixed offset used when there is no `zone`.
    public var utcOffsetSeconds: Int
    /// The region's time zone rules; nil for the fixed offset.
    public var zone: ZoneOffsets?
    /// Days on which no cut happens at all.
    public var closedWeekdays: Set<Weekday>
    /// Local holidays; no cut on them nor, when `closedBeforeHolidays`, on the day before.
    public var holidays: Set<CivilDate>
    public var closedBeforeHolidays: Bool
    /// Cuts start at this local hour (inclusive)…
    public var openingHour: Int
    /// …and stop at the cut-off hour (exclusive).
    public var cutoffHour: Int

    /// Defaults: UTC, closed Saturday and Sunday, 08:00–15:00, closed the day before a holiday.
    public init(
        utcOffsetSeconds: Int = 0, closedWeekdays: Set<Weekday> = [.saturday, .sunday], holidays: Set<CivilDate> = [],
        closedBeforeHolidays: Bool = true, openingHour: Int = 8, cutoffHour: Int = 15
    ) {
        self.utcOffsetSeconds = utcOffsetSeconds
        self.closedWeekdays = closedWeekdays
        self.holidays = holidays
        self.closedBeforeHolidays = closedBeforeHolidays
        self.openingHour = openingHour
        self.cutoffHour = cutoffHour
    }

    /// The offset east of UTC in force at `instant`.
    public func offset(at instant: Timestamp) -> Int { zone?.offset(atSeconds: instant.seconds) ?? utcOffsetSeconds }

    /// The wall-clock time of `instant` in this region.
    public func local(_ instant: Timestamp) -> LocalTime { LocalTime(instant, utcOffsetSeconds: offset(at: instant)) }

    /// The instant of local `secondOfDay` on `date` (see `ZoneOffsets.instant(localSeconds:)` for
    /// the hour that does not exist and the one that happens twice).
    public func instant(_ date: CivilDate, secondOfDay: Int) -> Timestamp {
        guard let zone else { return LocalTime.instant(date, secondOfDay: secondOfDay, utcOffsetSeconds: utcOffsetSeconds) }
        return Timestamp(seconds: zone.instant(localSeconds: Int64(date.daysSinceEpoch) * 86_400 + Int64(secondOfDay)))
    }

    /// Why no cut may start on `date` at all, or nil when the date is a cutting day.
    public func closedReason(on date: CivilDate) -> String? {
        if holidays.contains(date) { return "\(date) is a holiday" }
        if closedWeekdays.contains(date.weekday) { return "no cuts on \(date.weekday) (\(date))" }
        if closedBeforeHolidays, holidays.contains(date.adding(days: 1)) { return "\(date) is the day before a holiday" }
        return nil
    }

    /// Why no cut may start at `instant`, or nil when the window is open.
    public func closedReason(at instant: Timestamp) -> String? {
        let local = local(instant)
        if let reason = closedReason(on: local.date) { return reason }
        if local.secondOfDay < openingHour * 3600 { return "before the opening hour \(CivilDate.pad(openingHour, 2)):00" }
        if local.secondOfDay >= cutoffHour * 3600 { return "after the cut-off hour \(CivilDate.pad(cutoffHour, 2)):00" }
        return nil
    }

    /// Whether a cut may start at `instant`.
    public func isOpen(at instant: Timestamp) -> Bool { closedReason(at: instant) == nil }

    /// The next instant at or after `instant` when the window opens, searching at most `horizonDays`
    /// (nil when a misconfigured calendar never opens: the order is held for an operator).
    public func nextOpening(atOrAfter instant: Timestamp, horizonDays: Int = 400) -> Timestamp? {
        guard openingHour < cutoffHour else { return nil }
        if isOpen(at: instant) { return instant }
        let local = local(instant)
        var date = local.date
        if local.secondOfDay >= openingHour * 3600 { date = date.adding(days: 1) }
        for _ in 0..<horizonDays {
            if closedReason(on: date) == nil {
                return self.instant(date, secondOfDay: openingHour * 3600)
            }
            date = date.adding(days: 1)
        }
        return nil
    }

    /// When the window that is open at `instant` closes (today's cut-off).
    public func closing(after instant: Timestamp) -> Timestamp {
        let local = local(instant)
        return self.instant(local.date, secondOfDay: cutoffHour * 3600)
    }

    /// The same local time `count` business days later (cutting days), for field deadlines.
    public func addingBusinessDays(_ count: Int, to instant: Timestamp) -> Timestamp {
        let local = local(instant)
        var date = local.date
        var remaining = count
        var guardDays = 0
        while remaining > 0, guardDays < 400 {
            date = date.adding(days: 1)
            guardDays += 1
            if !holidays.contains(date), !closedWeekdays.contains(date.weekday) { remaining -= 1 }
        }
        return self.instant(date, secondOfDay: local.secondOfDay)
    }

    /// The local calendar date of `instant`.
    public func localDate(_ instant: Timestamp) -> CivilDate { local(instant).date }
}
