import SOMCodec
import Testing

@Suite("proto3 JSON mapping of the generated messages", .timeLimit(.minutes(2)))
struct JSONMappingTests {
    @Test("output: JSON names in field order, defaults left out, 64-bit integers as strings")
    func output() throws {
        let health = HealthResponse(status: .serving, version: "1.0", uptimeMs: 5, startedAt: Timestamp(seconds: 0, nanos: 0), pid: 7)
        #expect(try health.jsonString()
            == #"{"status":"SERVING_STATUS_SERVING","version":"1.0","uptimeMs":"5","startedAt":"1970-01-01T00:00:00Z","pid":7}"#)
        #expect(try Order().jsonString() == "{}")
        #expect(try HealthRequest().jsonValue() == [:])
        #expect(try OrderEvent(sequence: 1, status: .unrecognized(42)).jsonString() == #"{"sequence":"1","status":42}"#)
        #expect(try EchoMessage(payload: [0xFB, 0xFF]).jsonString() == #"{"payload":"+/8="}"#)
        #expect(try ReportResultsResponse(applied: [false]).jsonString() == #"{"applied":[false]}"#)
    }

    @Test("a fully populated order survives JSON text both ways")
    func orderRoundTrip() throws {
        let order = ExpectedMessages.orderFull
        let text = try order.jsonString()
        #expect(try Order(jsonString: text) == order)
        #expect(try Order(jsonUTF8: Array(text.utf8)) == order)
        #expect(text.contains(#""lastEventSeq":"18446744073709551615""#))
        #expect(text.contains(#""requestedAt":"2026-11-18T11:06:40.000000500Z""#))
    }

    @Test("64-bit integers read from strings and numbers, exactly")
    func int64Input() throws {
        let cases: [(String, Int64)] = [
            (#""-5""#, -5), ("-5", -5), ("0", 0), ("-0", 0), (#""1e3""#, 1000), ("1.5e1", 15), ("100e-2", 1), ("2.0", 2),
            ("9223372036854775807", .max), ("-9223372036854775808", .min), (#""-9223372036854775808""#, .min),
            ("null", 0),
        ]
        for (literal, expected) in cases {
            let data = try CollectionData(jsonString: #"{"amountDueMinor": \#(literal)}"#)
            #expect(data.amountDueMinor == expected, "\(literal)")
        }
        #expect(try Order(jsonString: #"{"lastEventSeq": 18446744073709551615}"#).lastEventSeq == .max)
        #expect(try Order(jsonString: #"{"version": "9007199254740993"}"#).version == 9_007_199_254_740_993)
    }

    @Test("integers that do not fit or are not integers are errors", arguments: [
        (#"{"amountDueMinor": 9223372036854775808}"#, "out of range for int64"),
        (#"{"amountDueMinor": "-9223372036854775809"}"#, "out of range for int64"),
        (#"{"amountDueMinor": 1e20}"#, "out of range for int64"),
        (#"{"amountDueMinor": 1.5}"#, "expected an integer for int64"),
        (#"{"amountDueMinor": "1.5"}"#, "expected an integer for int64"),
        (#"{"amountDueMinor": ""}"#, "expected int64 as a number or decimal string"),
        (#"{"amountDueMinor": " 1"}"#, "expected int64 as a number or decimal string"),
        (#"{"amountDueMinor": "0x10"}"#, "expected int64 as a number or decimal string"),
        (#"{"amountDueMinor": "01"}"#, "expected int64 as a number or decimal string"),
        (#"{"amountDueMinor": true}"#, "expected int64 as a number or decimal string, got boolean"),
    ] as [(String, String)])
    func badInt64(_ text: String, message: String) throws {
        let error = try #require(mappingError(CollectionData.self, text))
        #expect(error.path == "amountDueMinor")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test("32-bit and unsigned ranges are enforced")
    func narrowIntegers() throws {
        #expect(try Attempt(jsonString: #"{"number": 4294967295}"#).number == .max)
        #expect(try Attempt(jsonString: #"{"number": "7"}"#).number == 7)
        #expect(mappingError(Attempt.self, #"{"number": 4294967296}"#)?.description == "number: 4294967296 is out of range for uint32")
        #expect(mappingError(Attempt.self, #"{"number": -1}"#)?.description == "number: -1 is out of range for uint32")
        #expect(mappingError(Order.self, #"{"version": "-1"}"#)?.description == "version: -1 is out of range for uint64")
        #expect(try Order(jsonString: #"{"version": "-0"}"#).version == 0)
    }

    @Test("enums read from their value name or number")
    func enums() throws {
        #expect(try Order(jsonString: #"{"status": "ORDER_STATUS_COMPLETED"}"#).status == .completed)
        #expect(try Order(jsonString: #"{"status": 6}"#).status == OrderStatus(rawValue: 6))
        #expect(try Order(jsonString: #"{"status": 42}"#).status == .unrecognized(42))
        #expect(try Order(jsonString: #"{"status": -1}"#).status == .unrecognized(-1))
        #expect(try Order(jsonString: #"{"status": null}"#).status == .unspecified)
        #expect(mappingError(Order.self, #"{"status": "COMPLETED"}"#)?.description
            == #"status: unknown value "COMPLETED" for enum som.v1.OrderStatus"#)
        #expect(mappingError(Order.self, #"{"status": 2147483648}"#)?.description == "status: 2147483648 is out of range for int32")
        #expect(mappingError(Order.self, #"{"status": true}"#)?.description
            == "status: expected som.v1.OrderStatus value name or number, got boolean")
    }

    @Test("fields read under their proto names too, but only once")
    func protoNames() throws {
        let order = try Order(jsonString: #"{"order_id": "o-1", "request": {"service_point_id": "SP-1", "appointment_window": {"start": "1970-01-01T00:00:01Z"}}, "last_event_seq": "3"}"#)
        #expect(order.orderID == "o-1")
        #expect(order.request?.servicePointID == "SP-1")
        #expect(order.request?.appointmentWindow?.start == Timestamp(seconds: 1))
        #expect(order.lastEventSeq == 3)
        let error = mappingError(Order.self, #"{"orderId": "a", "order_id": "b"}"#)
        #expect(error?.path == "order_id")
        #expect(error?.message.contains("more than once") == true)
        #expect(mappingError(Order.self, #"{"status": 1, "status": 1}"#)?.path == "status")
    }

    @Test("an unknown field is an error naming it, with its path")
    func unknownField() throws {
        let error = try #require(mappingError(Order.self, #"{"request": {"appointmentWindow": {"strat": "1970-01-01T00:00:00Z"}}}"#))
        #expect(error.path == "request.appointmentWindow.strat")
        #expect(error.message == #"unknown field "strat" in som.v1.TimeWindow"#)
        #expect(mappingError(HealthRequest.self, #"{"x": null}"#)?.description == #"x: unknown field "x" in som.v1.HealthRequest"#)
        // Case matters, and a JSON name spelled like a proto name is not one.
        #expect(mappingError(Order.self, #"{"OrderId": "x"}"#)?.path == "OrderId")
        #expect(mappingError(Order.self, #"{"order_Id": "x"}"#)?.path == "order_Id")
    }

    @Test("a value of the wrong type is an error with the field's path")
    func wrongTypes() throws {
        let cases: [(String, String)] = [
            (#"{"request": {"appointmentWindow": {"start": 5}}}"#,
             "request.appointmentWindow.start: expected RFC 3339 timestamp string, got number"),
            (#"{"orderId": 5}"#, "orderId: expected string, got number"),
            (#"{"request": "x"}"#, "request: expected JSON object for som.v1.ServiceOrderRequest, got string"),
            (#"{"activities": {}}"#, "activities: expected array, got object"),
            (#"{"activities": [{}, {"attempts": [{"number": "x"}]}]}"#,
             #"activities[1].attempts[0].number: expected uint32 as a number or decimal string, got "x""#),
            (#"{"activities": [null]}"#, "activities[0]: null is not allowed in a repeated field"),
            (#"{"activities": [{"verification": "true"}]}"#, "activities[0].verification: expected true or false, got string"),
            ("[]", "expected JSON object for som.v1.Order, got array"),
            ("null", "expected JSON object for som.v1.Order, got null"),
        ]
        for (text, description) in cases {
            #expect(mappingError(Order.self, text)?.description == description, "\(text)")
        }
        #expect(mappingError(ReportResultsResponse.self, #"{"applied": [true, 1]}"#)?.description
            == "applied[1]: expected true or false, got number")
    }

    @Test("null means the default, for every kind of field")
    func nulls() throws {
        let text = #"{"orderId": null, "request": null, "status": null, "activities": null, "lastEventSeq": null, "receivedAt": null}"#
        #expect(try Order(jsonString: text) == Order())
        #expect(try EchoMessage(jsonString: #"{"payload": null}"#) == EchoMessage())
        #expect(try ReportResultsResponse(jsonString: #"{"applied": null}"#) == ReportResultsResponse())
    }

    @Test("timestamps read RFC 3339 with any precision and offset")
    func timestampInput() throws {
        let cases: [(String, Int64, Int32)] = [
            ("1972-01-01T10:00:20.021Z", 63_108_020, 21_000_000),
            ("1972-01-01T10:00:20.021+05:30", 63_108_020 - 19_800, 21_000_000),
            ("1972-01-01T10:00:20.021-01:00", 63_108_020 + 3600, 21_000_000),
            ("1970-01-01T00:00:00.1Z", 0, 100_000_000),
            ("1970-01-01T00:00:00.123456789Z", 0, 123_456_789),
            ("1969-12-31T23:59:59.999999999Z", -1, 999_999_999),
            ("0001-01-01T00:00:00Z", -62_135_596_800, 0),
            ("9999-12-31T23:59:59.999999999Z", 253_402_300_799, 999_999_999),
            ("2000-02-29T12:00:00Z", 951_825_600, 0),
        ]
        for (text, seconds, nanos) in cases {
            #expect(try Timestamp(json: .string(text)) == Timestamp(seconds: seconds, nanos: nanos), "\(text)")
        }
        #expect(try Timestamp(jsonString: #""1972-01-01T10:00:20.021Z""#).jsonString() == #""1972-01-01T10:00:20.021Z""#)
    }

    @Test("malformed or out-of-range timestamps are errors", arguments: [
        "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:60:00Z",
        "2024-01-01T00:00:60Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z",
        "2024-01-01T00:00:00.1234567890Z", "2024-01-01t00:00:00z", "2024-1-01T00:00:00Z", "2024-01-01T00:00:00+0100",
        "2024-01-01T00:00:00+24:00", "2024-01-01T00:00:00Zjunk", "0000-12-31T23:59:59Z", "0001-01-01T00:30:00+01:00",
        "9999-12-31T23:59:59-01:00", "",
    ])
    func badTimestamps(_ text: String) throws {
        let error = try #require(mappingError(ServiceOrderRequest.self, #"{"appointmentWindow": {"start": "\#(text)"}}"#))
        #expect(error.path == "appointmentWindow.start")
        #expect(error.message.contains("RFC 3339") || error.message.contains("outside 0001"), "\(error)")
    }

    @Test("timestamps JSON cannot express are errors on output, with their path")
    func timestampOutput() throws {
        let cases: [(Timestamp, String)] = [
            (Timestamp(seconds: 0), "1970-01-01T00:00:00Z"),
            (Timestamp(seconds: 1, nanos: 10_000_000), "1970-01-01T00:00:01.010Z"),
            (Timestamp(seconds: 1, nanos: 10_000), "1970-01-01T00:00:01.000010Z"),
            (Timestamp(seconds: 1, nanos: 10), "1970-01-01T00:00:01.000000010Z"),
            (Timestamp(seconds: -1, nanos: 500_000_000), "1969-12-31T23:59:59.500Z"),
        ]
        for (timestamp, text) in cases {
            #expect(try timestamp.jsonValue() == .string(text))
        }
        var request = ServiceOrderRequest()
        request.appointmentWindow = TimeWindow(start: Timestamp(seconds: 0, nanos: -1))
        var error = try #require(jsonOutputError(request))
        #expect(error.path == "appointmentWindow.start")
        #expect(error.message.contains("nanos in 0...999999999"))
        let order = Order(activities: [Activity(), Activity(attempts: [Attempt(endedAt: Timestamp(seconds: 253_402_300_800))])])
        error = try #require(jsonOutputError(order))
        #expect(error.path == "activities[1].attempts[0].endedAt")
        #expect(jsonOutputError(Timestamp(seconds: -62_135_596_801))?.path == "")
    }

    @Test("bytes read standard and URL-safe base64, padded or not")
    func base64Input() throws {
        let cases: [(String, [UInt8])] = [
            ("", []), ("+w==", [0xFB]), ("+w", [0xFB]), ("-w", [0xFB]), ("+/8=", [0xFB, 0xFF]), ("-_8", [0xFB, 0xFF]),
            ("++++", [0xFB, 0xEF, 0xBE]), ("AAECAw==", [0, 1, 2, 3]), ("AAECAw", [0, 1, 2, 3]),
        ]
        for (text, bytes) in cases {
            #expect(try EchoMessage(jsonString: #"{"payload": "\#(text)"}"#).payload == bytes, "\(text)")
        }
        for bad in ["A", "AAAAA", "+w=", "+w===", "AB=C", "AB C", "AB\\nCD", "AB*D", "=AAA"] {
            #expect(mappingError(EchoMessage.self, #"{"payload": "\#(bad)"}"#)?.description == "payload: invalid base64 data", "\(bad)")
        }
        let everyByte = EchoMessage(payload: (0...255).map { UInt8($0) })
        #expect(try EchoMessage(jsonString: everyByte.jsonString()) == everyByte)
        for length in 0..<8 {
            let message = EchoMessage(payload: Array((0..<UInt8(length)).map { $0 &* 37 &+ 250 }))
            #expect(try EchoMessage(jsonString: message.jsonString()) == message)
        }
    }

    @Test("doubles: numbers, numeric strings and the three special strings")
    func doubles() throws {
        let cases: [(String, Double)] = [
            ("0.5", 0.5), (#""0.5""#, 0.5), ("1e-7", 1e-7), ("-0.0", -0.0), ("3", 3), (#""Infinity""#, .infinity),
            (#""-Infinity""#, -.infinity), ("1e-400", 0),
        ]
        for (literal, expected) in cases {
            let value = try StatsResponse(jsonString: #"{"meanCommitBatch": \#(literal)}"#).meanCommitBatch
            #expect(value == expected && value.sign == expected.sign, "\(literal)")
        }
        #expect(try StatsResponse(jsonString: #"{"meanCommitBatch": "NaN"}"#).meanCommitBatch.isNaN)
        #expect(mappingError(StatsResponse.self, #"{"meanCommitBatch": 1e400}"#)?.description == "meanCommitBatch: 1e400 is out of range for double")
        for bad in [#""nan""#, #""inf""#, #""0x1p3""#, #"" 1""#, "true"] {
            #expect(mappingError(StatsResponse.self, #"{"meanCommitBatch": \#(bad)}"#)?.path == "meanCommitBatch", "\(bad)")
        }
        #expect(try StatsResponse(meanCommitBatch: .nan).jsonString() == #"{"meanCommitBatch":"NaN"}"#)
        #expect(try StatsResponse(meanCommitBatch: 0.1).jsonString() == #"{"meanCommitBatch":0.1}"#)
        #expect(try StatsResponse(meanCommitBatch: -0.0).jsonString() == #"{"meanCommitBatch":-0.0}"#)
    }

    @Test("syntax errors surface with their byte offset; errors print as path: message")
    func syntaxErrors() throws {
        let error = try #require(mappingError(Order.self, #"{"orderId": "x",}"#))
        #expect(error.path == "")
        #expect(error.description == "invalid JSON at byte 16: expected a string member name, found '}'")
        #expect(JSONMappingError(path: "a.b", message: "bad").description == "a.b: bad")
        #expect(throws: JSONMappingError.self) { try Order(jsonUTF8: [0x7B, 0xFF, 0x7D]) }
    }

    private func jsonOutputError(_ message: some ProtoJSONMessage) -> JSONMappingError? {
        do {
            let value = try message.jsonValue()
            Issue.record("expected an error, got \(value)")
            return nil
        } catch {
            return error
        }
    }
}
