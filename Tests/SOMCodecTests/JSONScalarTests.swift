import Foundation
@testable import SOMCodec
import SOMTestSupport
import Testing

// The scalar rules for proto types the schema does not use yet (int32, float), and the
// calendar arithmetic against Foundation, reached through internal API.
@Suite("JSON scalar conversions", .timeLimit(.minutes(2)))
struct JSONScalarTests {
    @Test("int32 takes numbers and strings within its range")
    func int32() throws {
        #expect(try Int32(fieldJSON: .number("-2147483648")) == .min)
        #expect(try Int32(fieldJSON: .string("2147483647")) == .max)
        #expect(throws: JSONMappingError("2147483648 is out of range for int32")) { try Int32(fieldJSON: .number("2147483648")) }
        #expect(throws: JSONMappingError("-2147483649 is out of range for int32")) { try Int32(fieldJSON: .string("-2147483649")) }
        #expect(Int32(-5).fieldJSON() == .number("-5"))
        #expect(Int64(-5).fieldJSON() == .string("-5"))
        #expect(UInt64.max.fieldJSON() == .string("18446744073709551615"))
    }

    @Test("float keeps its shortest form and refuses values past its range")
    func float() throws {
        #expect(Float(0.1).fieldJSON() == .number("0.1"))
        #expect(Float.infinity.fieldJSON() == .string("Infinity"))
        #expect(try Float(fieldJSON: .number("3.4028235e38")) == .greatestFiniteMagnitude)
        #expect(throws: JSONMappingError("3.5e38 is out of range for float")) { try Float(fieldJSON: .number("3.5e38")) }
        #expect(try Float(fieldJSON: .string("-Infinity")) == -.infinity)
    }

    @Test("number literals give exact integers or say why not", arguments: [
        ("0", "0"), ("-0", "0"), ("12", "12"), ("1.20e1", "12"), ("120e-1", "12"), ("0.0012e4", "12"), ("1e19", "10000000000000000000"),
        ("18446744073709551615", "18446744073709551615"), ("18446744073709551616", "range"), ("1e20", "range"),
        ("1e999999999999", "range"), ("0e999999999999", "0"), ("1.5", "fraction"), ("1e-1", "fraction"), ("-1", "-1"),
        ("00", "invalid"), ("1.", "invalid"), ("+1", "invalid"), ("1e", "invalid"), ("", "invalid"), ("- 1", "invalid"),
    ] as [(String, String)])
    func numberLiterals(_ text: String, expected: String) {
        let summary: String
        switch JSONNumberLiteral(text)?.integerValue {
        case nil: summary = "invalid"
        case .fractional: summary = "fraction"
        case .outOfRange: summary = "range"
        case .exact(let negative, let magnitude): summary = (negative && magnitude != 0 ? "-" : "") + String(magnitude)
        }
        #expect(summary == expected, "\(text)")
    }

    @Test("RFC 3339 dates agree with Foundation's Gregorian calendar")
    func calendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var rng = SplitMix64(state: 3339)
        // Foundation switches to the Julian calendar before October 1582, so compare after it.
        let from: Int64 = -12_219_292_800, to = RFC3339.maxSeconds
        for _ in 0..<2000 {
            let seconds = Int64.random(in: from...to, using: &rng)
            let text = try RFC3339.format(Timestamp(seconds: seconds))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
            let expected = String(
                format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            #expect(text == expected)
            #expect(try RFC3339.timestamp(from: .string(text)) == Timestamp(seconds: seconds))
        }
    }

    @Test("every day of years 0001-9999 formats and parses back")
    func everyDay() throws {
        var days = RFC3339.minSeconds
        var previous = ""
        while days <= RFC3339.maxSeconds {
            let timestamp = Timestamp(seconds: days + 86_399, nanos: 999_999_999)
            let text = try RFC3339.format(timestamp)
            #expect(text > previous)
            #expect(try RFC3339.timestamp(from: .string(text)) == timestamp)
            previous = text
            days += 86_400 * 61
        }
    }
}
