/// `google.protobuf.Timestamp`'s JSON form: an RFC 3339 string such as "1972-01-01T10:00:20.021Z".
///
/// Output is always UTC with 0, 3, 6 or 9 fractional digits; input takes 0–9 digits and a `Z` or
/// `±hh:mm` offset. Only 0001-01-01T00:00:00Z through 9999-12-31T23:59:59.999999999Z is valid.
enum RFC3339 {
    static let minSeconds: Int64 = -62_135_596_800
    static let maxSeconds: Int64 = 253_402_300_799

    static func format(_ timestamp: Timestamp) throws(JSONMappingError) -> String {
        let seconds = timestamp.seconds, nanos = timestamp.nanos
        guard (minSeconds...maxSeconds).contains(seconds), (0...999_999_999).contains(nanos) else {
            throw JSONMappingError(
                "timestamp {seconds: \(seconds), nanos: \(nanos)} has no JSON form: seconds must be in "
                    + "\(minSeconds)...\(maxSeconds) (years 0001-9999) and nanos in 0...999999999")
        }
        let days = seconds.floorDividedBy(86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var out: [UInt8] = []
        out.reserveCapacity(30)
        append(year, digits: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        append(month, digits: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        append(day, digits: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        append(secondOfDay / 3600, digits: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, digits: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, digits: 2, to: &out)
        if nanos != 0 {
            out.append(UInt8(ascii: "."))
            if nanos % 1_000_000 == 0 {
                append(Int(nanos / 1_000_000), digits: 3, to: &out)
            } else if nanos % 1000 == 0 {
                append(Int(nanos / 1000), digits: 6, to: &out)
            } else {
                append(Int(nanos), digits: 9, to: &out)
            }
        }
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    static func timestamp(from json: JSONValue) throws(JSONMappingError) -> Timestamp {
        guard case .string(let text) = json else { throw .expected("RFC 3339 timestamp string", got: json) }
        var copy = text
        let parsed = copy.withUTF8 { parse($0) }
        guard let (seconds, nanos) = parsed else {
            throw JSONMappingError("expected RFC 3339 timestamp like \"1972-01-01T10:00:20.021Z\", got \(json)")
        }
        guard (minSeconds...maxSeconds).contains(seconds) else {
            throw JSONMappingError("timestamp \(json) is outside 0001-01-01T00:00:00Z...9999-12-31T23:59:59.999999999Z")
        }
        return Timestamp(seconds: seconds, nanos: nanos)
    }

    /// Seconds (not yet range-checked) and nanos, or nil when the text is not RFC 3339.
    private static func parse(_ s: UnsafeBufferPointer<UInt8>) -> (Int64, Int32)? {
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= s.count else { return nil }
            var value = 0
            for k in i..<(i + width) {
                let digit = s[k] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            i += width
            return value
        }
        func literal(_ character: Unicode.Scalar) -> Bool {
            guard i < s.count, s[i] == UInt8(ascii: character) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), literal("-"), let month = number(2), literal("-"), let day = number(2), literal("T"),
            let hour = number(2), literal(":"), let minute = number(2), literal(":"), let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var nanos = 0
        if literal(".") {
            let start = i
            while i < s.count, s[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            let count = i - start
            guard (1...9).contains(count) else { return nil }
            for k in start..<i { nanos = nanos * 10 + Int(s[k] - UInt8(ascii: "0")) }
            for _ in count..<9 { nanos *= 10 }
        }
        var offsetSeconds = 0
        if !literal("Z") {
            guard i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") else { return nil }
            let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let offsetHours = number(2), literal(":"), let offsetMinutes = number(2), offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard i == s.count else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return (seconds, Int32(nanos))
    }

    private static func append(_ value: Int, digits: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }

    private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Days <-> proleptic Gregorian dates, counted in 400-year eras of 146,097 days whose years
    // start on March 1 so the leap day falls last (the usual civil-calendar arithmetic).

    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int64(era * 146_097 + dayOfEra - 719_468)
    }

    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(daysSinceEpoch) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    fileprivate func floorDividedBy(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
