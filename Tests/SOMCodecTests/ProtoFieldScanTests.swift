import SOMCodec
import Testing

@Suite("Top-level field scan without decoding", .timeLimit(.minutes(1)))
struct ProtoFieldScanTests {
    @Test("the scan sees an encoded event's scalars and its timestamp's payload, as the decoder does")
    func matchesTheDecoder() {
        let event = OrderEvent(
            sequence: 42, orderID: "SO000000000007", type: .activityCreated, at: Timestamp(seconds: 1_800_000_123, nanos: 456),
            servicePointID: "SP-1", orderType: .cutForNonPayment, detail: "cut")
        let bytes = event.encoded()
        var seen: [UInt32: ProtoFieldScan.Value] = [:]
        #expect(ProtoFieldScan.fields(bytes) { number, value in
            seen[number] = value
            return true
        })
        guard case .varint(let sequence) = seen[1], case .varint(let type) = seen[3], case .varint(let orderType) = seen[9],
              case .bytes(let at) = seen[4] else {
            Issue.record("fields missing: \(seen.keys.sorted())")
            return
        }
        #expect(sequence == 42 && type == UInt64(OrderEventType.activityCreated.rawValue) && orderType == UInt64(OrderType.cutForNonPayment.rawValue))
        var seconds: UInt64 = 0
        #expect(ProtoFieldScan.fields(bytes, in: at) { number, value in
            if number == 1, case .varint(let v) = value { seconds = v }
            return true
        })
        #expect(seconds == 1_800_000_123)
    }

    @Test("truncated or invalid bytes are reported, never read past their end")
    func malformed() {
        let bytes = OrderEvent(sequence: 1, orderID: "SO1", detail: "some text").encoded()
        for cut in 1..<bytes.count {
            // Any prefix either ends on a field boundary (well formed) or is reported as malformed.
            _ = ProtoFieldScan.fields(Array(bytes.prefix(cut))) { _, _ in true }
        }
        #expect(!ProtoFieldScan.fields([0x0A, 0x05, 0x41]) { _, _ in true }, "a length beyond the end")
        #expect(!ProtoFieldScan.fields([0x08, 0xFF, 0xFF]) { _, _ in true }, "an unfinished varint")
        #expect(!ProtoFieldScan.fields([0x0F]) { _, _ in true }, "wire type 7")
        #expect(!ProtoFieldScan.fields([0x00, 0x01]) { _, _ in true }, "field number 0")
        var visited = 0
        #expect(ProtoFieldScan.fields(bytes) { _, _ in visited += 1; return false } && visited == 1, "stops when asked")
    }
}
