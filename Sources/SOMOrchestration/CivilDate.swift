public import SOMCodec

/// A calendar date in the proleptic Gregorian calendar, computed with integer arithmetic only so
/// the domain stays pure and fast (no Foundation `Calendar`).
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date; the caller supplies a valid month (1…12) and day.
    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    public init(daysSinceEpoch days: Int) {
        // Shift the epoch to 0000-03-01 so the leap day is the last day of a year, then work in
        // 400-year eras of 146097 days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day of the week.
    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((daysSinceEpoch + 4) % 7 + 7) % 7
        return Weekday.allCases[index]
    }

    /// The date `count` days later.
    public func adding(days count: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + count) }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    /// ISO 8601, e.g. `2025-12-24`.
    public var description: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// A day of the week, Sunday first (the order `CivilDate.weekday` indexes).
public enum Weekday: Int, Sendable, Hashable, CaseIterable {
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday
}

/// A wall-clock instant in a region with a fixed UTC offset.
public struct LocalTime: Sendable, Hashable {
    public var date: CivilDate
    /// Seconds since local midnight.
    public var secondOfDay: Int

    /// The local time of `instant` at `utcOffsetSeconds` east of UTC.
    public init(_ instant: Timestamp, utcOffsetSeconds: Int) {
        let local = Int(instant.seconds) + utcOffsetSeconds
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        date = CivilDate(daysSinceEpoch: days)
        secondOfDay = local - days * 86_400
    }

    /// The instant of local `secondOfDay` on `date`.
    public static func instant(_ date: CivilDate, secondOfDay: Int, utcOffsetSeconds: Int) -> Timestamp {
        Timestamp(seconds: Int64(date.daysSinceEpoch * 86_400 + secondOfDay - utcOffsetSeconds))
    }
}

extension Timestamp {
    /// ISO 8601 in UTC to the second, e.g. `2025-01-06T15:00:00Z`, for status details.
    public var iso8601: String {
        let local = LocalTime(self, utcOffsetSeconds: 0)
        let s = local.secondOfDay
        return "\(local.date)T\(CivilDate.pad(s / 3600, 2)):\(CivilDate.pad(s / 60 % 60, 2)):\(CivilDate.pad(s % 60, 2))Z"
    }

    /// Seconds from `self` to `other` (negative when `other` is earlier), ignoring nanos.
    func seconds(until other: Timestamp) -> Int64 { other.seconds - seconds }
}
