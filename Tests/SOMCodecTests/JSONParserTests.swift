import SOMCodec
import SOMTestSupport
import Testing

@Suite("JSON parser and serializer", .timeLimit(.minutes(2)))
struct JSONParserTests {
    @Test("documents parse to the expected values, numbers keeping their literal text")
    func validDocuments() throws {
        let cases: [(String, JSONValue)] = [
            ("null", nil),
            (" true ", true),
            ("false", false),
            ("0", .number("0")),
            ("-0", .number("-0")),
            ("1.50", .number("1.50")),
            ("1E+2", .number("1E+2")),
            ("-12.5e-3", .number("-12.5e-3")),
            ("18446744073709551615123", .number("18446744073709551615123")),
            ("\"\"", ""),
            ("[]", []),
            ("{}", [:]),
            ("\t\n\r [1, \"a\", [null], {\"k\": false}]", [1, "a", [nil], ["k": false]]),
            (#"{"b": 1, "a": 2, "b": 3}"#, .object([("b", 1), ("a", 2), ("b", 3)])),
        ]
        for (text, expected) in cases {
            #expect(try JSONValue(parsing: text) == expected, "\(text)")
            #expect(try JSONValue(parsing: Array(text.utf8)) == expected, "\(text)")
        }
    }

    @Test("escapes, including surrogate pairs, decode to the characters they stand for")
    func escapes() throws {
        let text = #""q\" b\\ s\/ \b\f\n\r\t \u0000 \u00e9\u00E9 \u4e2d \uD83D\uDE00 \ud83d\ude00 plain é😀""#
        #expect(try JSONValue(parsing: text) == .string("q\" b\\ s/ \u{8}\u{C}\n\r\t \u{0} éé 中 😀 😀 plain é😀"))
    }

    @Test("malformed documents are errors at the right byte", arguments: [
        ("", 0, "end of input"),
        ("   ", 3, "end of input"),
        ("tru", 0, "expected 'true'"),
        ("nul", 0, "expected 'null'"),
        ("01", 1, "leading zero"),
        ("1.", 2, "after '.'"),
        (".5", 0, "unexpected '.'"),
        ("-", 1, "expected a digit"),
        ("1e", 2, "exponent"),
        ("+1", 0, "unexpected '+'"),
        ("[1,]", 3, "expected a value"),
        (#"{"a":1,}"#, 7, "member name"),
        ("{a:1}", 1, "member name"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        ("[1 2]", 3, "expected ',' or ']'"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
        ("[1", 2, "end of input"),
        (#""abc"#, 0, "unterminated string"),
        ("\"a\tb\"", 2, "control character"),
        (#""\x""#, 1, "invalid escape"),
        (#""\u12""#, 3, "4 hex digits"),
        (#""\uD800""#, 1, "unpaired surrogate"),
        (#""\uDC00""#, 1, "unpaired surrogate"),
        (#""\uD800\u0041""#, 1, "unpaired surrogate"),
        ("{} x", 3, "after the JSON value"),
        ("1 2", 2, "after the JSON value"),
        ("[1]]", 3, "after the JSON value"),
        ("\u{FEFF}{}", 0, "unexpected"),
        ("NaN", 0, "unexpected 'N'"),
    ] as [(String, Int, String)])
    func malformed(_ text: String, offset: Int, message: String) {
        do {
            let value = try JSONValue(parsing: text)
            Issue.record("\(text.debugDescription) parsed as \(value)")
        } catch {
            #expect(error.offset == offset, "\(text.debugDescription): \(error)")
            #expect(error.message.contains(message), "\(text.debugDescription): \(error)")
            #expect(error.description.hasPrefix("invalid JSON at byte \(offset): "))
        }
    }

    @Test("invalid UTF-8 in strings is an error at the bad byte", arguments: [
        ([0x22, 0xC3, 0x28, 0x22], 1),  // a lead byte without its continuation
        ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong '/'
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),  // overlong, three bytes
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // an encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
        ([0x22, 0x61, 0x80, 0x22], 2),  // a lone continuation byte
        ([0x22, 0xFF, 0x22], 1),
        ([0x22, 0xE2, 0x82], 1),  // truncated at the end of input
        ([0x5B, 0xC3, 0xA9, 0x5D], 1),  // non-ASCII outside a string
    ] as [([UInt8], Int)])
    func invalidUTF8(_ bytes: [UInt8], offset: Int) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
        do {
            _ = try JSONValue(parsing: bytes)
        } catch {
            #expect(error.offset == offset, "\(bytes): \(error)")
        }
    }

    @Test("nesting is limited to 100 levels, without recursing further")
    func nestingLimit() throws {
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONValue(parsing: ok) }
        let objects = String(repeating: #"{"a":"#, count: 100) + "1" + String(repeating: "}", count: 100)
        #expect(throws: Never.self) { try JSONValue(parsing: objects) }
        for depth in [101, 100_000] {
            do {
                _ = try JSONValue(parsing: String(repeating: "[", count: depth))
                Issue.record("depth \(depth) accepted")
            } catch {
                #expect(error.offset == 100)
                #expect(error.message.contains("nesting deeper than 100"))
            }
        }
    }

    @Test("the serializer writes compact JSON that escapes only what it must")
    func serializer() {
        let value: JSONValue = [
            "z": [1, -2.5, true, false, nil, [], [:]],
            "a": "quote\" backslash\\ slash/ \n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F} é 😀",
            "n": .number("18446744073709551615"),
        ]
        #expect(value.serialized() == #"{"z":[1,-2.5,true,false,null,[],{}],"a":"quote\" backslash\\ slash/ \n\r\t\b\f\u0000\u001f"#
            + "\u{7F} é 😀\",\"n\":18446744073709551615}")
        #expect(value.description == value.serialized())
        var buffer: [UInt8] = Array("x".utf8)
        JSONValue.string("y").serialize(into: &buffer)
        #expect(buffer == Array("x\"y\"".utf8))
    }

    @Test("serialized values parse back to the same value")
    func roundTrip() throws {
        var rng = SplitMix64(state: 0x15_0A)
        for _ in 0..<300 {
            let value = randomValue(depth: 0, using: &rng)
            #expect(try JSONValue(parsing: value.serialized()) == value)
        }
    }

    @Test("random bytes never crash the parser")
    func randomBytes() {
        var rng = SplitMix64(state: 0xBAD_1DEA)
        let alphabet = Array(#"{}[]":,.-+eE0123456789 tfnrul\"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xA9, 0xED, 0xF4]
        var accepted = 0
        for _ in 0..<3000 {
            let bytes = (0..<Int.random(in: 0...24, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            if (try? JSONValue(parsing: bytes)) != nil { accepted += 1 }
        }
        #expect(accepted < 3000)
    }

    @Test("equality is exact: member order and number spelling count")
    func equality() {
        #expect(JSONValue.object([("a", 1), ("b", 2)]) != .object([("b", 2), ("a", 1)]))
        #expect(JSONValue.number("1") != .number("1.0"))
        #expect(Set<JSONValue>([["a": 1], ["a": 1], [1]]).count == 2)
        #expect((["a": 1, "b": "x"] as JSONValue)["b"] == "x")
        #expect(([1] as JSONValue)["a"] == nil)
    }

    private func randomValue(depth: Int, using rng: inout SplitMix64) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &rng)
        switch pick {
        case 0: return nil
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(["0", "-1", "3.25", "1e-7", "18446744073709551615", "-9223372036854775808"].randomElement(using: &rng)!)
        case 3, 4:
            let scalars = ["a", "\"", "\\", "\n", "\u{1}", "é", "😀", "\u{2028}", "/", " "]
            return .string((0..<Int.random(in: 0...6, using: &rng)).map { _ in scalars.randomElement(using: &rng)! }.joined())
        case 5: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(depth: depth + 1, using: &rng) })
        default:
            return .object((0..<Int.random(in: 0...4, using: &rng)).map { index in ("k\(index)", randomValue(depth: depth + 1, using: &rng)) })
        }
    }
}
