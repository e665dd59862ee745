import Foundation
import SOMCodec
import SOMTestSupport
import Testing

@Suite("Golden vectors from protoc", .timeLimit(.minutes(2)))
struct CodecGoldenTests {
    @Test("every message type has a generated all-fields sample")
    func everyTypeHasASample() throws {
        let sampled = Set(try Fixture.samples().map(\.messageType))
        let missing = allMessageTypes.map { $0.protoName }.filter { !sampled.contains($0) }
        #expect(missing.isEmpty, "no sample for \(missing)")
        // And the registry names every generated message: a type added to proto/ must be added here.
        #expect(sampled.subtracting(codecsByName.keys).isEmpty)
    }

    @Test("protoc's bytes decode and re-encode to the same bytes", arguments: try Fixture.samples())
    func sampleRoundTrip(_ fixture: Fixture) throws {
        let codec = try #require(codecsByName[fixture.messageType], "no codec for \(fixture.messageType)")
        #expect(!fixture.bytes.isEmpty || codec.fieldCount == 0)
        let reencoded = try codec.decodeAndEncode(fixture.bytes)
        #expect(reencoded == fixture.bytes, "\(fixture.name): SOMCodec's encoding differs from protoc's")
    }

    @Test("a hand-written order decodes to the expected values")
    func orderDecodesToExpectedValues() throws {
        let fixture = try Fixture.load("order_full")
        let order = try Order(decoding: fixture.bytes)
        #expect(order == ExpectedMessages.orderFull)
    }

    @Test("an order built in Swift encodes to what protoc decodes as the fixture's text")
    func orderEncodesToProtocText() throws {
        let fixture = try Fixture.load("order_full")
        let ours = try protocDecode("som.v1.Order", ExpectedMessages.orderFull.encoded())
        let reference = try protocDecode("som.v1.Order", fixture.bytes)
        #expect(ours == reference)
        #expect(ours.contains("CIS-2026-000042"))
    }

    @Test("a call header decodes to its fields")
    func callHeader() throws {
        let fixture = try Fixture.load("call_header")
        let header = try CallHeader(decoding: fixture.bytes)
        var expected = CallHeader()
        expected.method = "/som.v1.Orders/Submit"
        expected.timeoutUs = 250_000
        expected.metadata = [.init(key: "request-id", value: "r-1"), .init(key: "trace-bin", value: "AAEC")]
        #expect(header == expected)
        #expect(header.encoded() == fixture.bytes)
    }

    @Test("an empty message is zero bytes both ways")
    func emptyMessage() throws {
        let fixture = try Fixture.load("health_request_empty")
        #expect(fixture.bytes.isEmpty)
        #expect(try HealthRequest(decoding: fixture.bytes) == HealthRequest())
        #expect(HealthRequest().encoded().isEmpty)
        #expect(try Order(decoding: [UInt8]()) == Order())
        #expect(Order().encoded().isEmpty)
    }

    @Test("unknown fields are skipped")
    func unknownFieldsSkipped() throws {
        // An Order's bytes read as GetOrderRequest: field 1 (order_id) is known, fields 2..19 are not.
        let fixture = try Fixture.load("order_full")
        let request = try GetOrderRequest(decoding: fixture.bytes)
        #expect(request.orderID == "ord-000042")
        // Re-encoding keeps only what this type knows.
        #expect(try GetOrderRequest(decoding: request.encoded()) == request)
    }

    @Test("an enum value this build does not know survives a round trip")
    func unknownEnumValue() throws {
        let fixture = try Fixture.load("unknown_enum")
        let event = try OrderEvent(decoding: fixture.bytes)
        #expect(event.status == .unrecognized(42))
        #expect(event.status.protoName == nil)
        #expect(event.encoded() == fixture.bytes)
    }

    @Test("every enum case maps to its wire value and proto name and back")
    func enumNamesAndValues() {
        for status in OrderStatus.allCases {
            #expect(OrderStatus(rawValue: status.rawValue) == status)
            #expect(OrderStatus(protoName: status.protoName ?? "") == status)
        }
        #expect(OrderStatus.inProgress.protoName == "ORDER_STATUS_IN_PROGRESS")
        #expect(MeterTechnology.smartWithSwitch.rawValue == 4)
        #expect(OrderType(protoName: "ORDER_TYPE_RECONNECT_FOR_PAYMENT") == .reconnectForPayment)
    }

    @Test("a 4 MiB string survives; input over the codec limit is refused before protobuf-c sees it")
    func largeStrings() throws {
        var message = EchoMessage()
        message.payload = [UInt8](repeating: 0xAB, count: 4 << 20)
        #expect(try EchoMessage(decoding: message.encoded()) == message)
        var notes = ServiceOrderRequest()
        notes.notes = String(repeating: "ü", count: 1 << 20)
        #expect(try ServiceOrderRequest(decoding: notes.encoded()).notes == notes.notes)
        let oversized = [UInt8](repeating: 0, count: CodecLimits.maxMessageSize + 1)
        #expect(throws: CodecError.tooLarge(size: oversized.count, limit: CodecLimits.maxMessageSize)) {
            try EchoMessage(decoding: oversized)
        }
    }

    @Test("invalid UTF-8 in a string field is an error naming the field")
    func invalidUTF8() throws {
        // field 1 (method), wire type 2, length 2, bytes C3 28 (an invalid sequence)
        let bytes: [UInt8] = [0x0A, 0x02, 0xC3, 0x28]
        #expect(throws: CodecError.invalidUTF8(field: "method")) { try CallHeader(decoding: bytes) }
    }
}
