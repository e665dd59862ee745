import NIOCore
import SOMCodec
import SOMRPC
import Testing

@Suite("STATUS and GOAWAY cut to the peer's max_frame_size", .timeLimit(.minutes(1)))
struct FrameFittingTests {
    @Test("a status that fits is sent whole, details included")
    func fitsWhole() throws {
        let status = RPCStatus(code: .notFound, message: "no order 42", details: ["order": "42"])
        let frame = Frame.status(streamID: 1, status, fitting: 4 << 20)
        #expect(RPCStatus(try frame.decodePayload(as: CallStatus.self)) == status)
    }

    @Test("details go first, then the message is cut; the code always survives")
    func cutsDetailsThenMessage() throws {
        let status = RPCStatus(code: .resourceExhausted, message: "storage full: /var/lib/som has 0 bytes free", details: ["path": "/var/lib/som"])
        for limit in [16, 20, 32, 47] {
            let frame = Frame.status(streamID: 1, status, fitting: limit)
            #expect(frame.payload.readableBytes <= limit)
            let decoded = RPCStatus(try frame.decodePayload(as: CallStatus.self))
            #expect(decoded.code == .resourceExhausted)
            #expect(decoded.details.isEmpty)
            #expect(status.message.hasPrefix(decoded.message) && !decoded.message.isEmpty)
        }
    }

    @Test("a cut never splits a character")
    func cutsOnCharacterBoundary() throws {
        let status = RPCStatus(code: .invalidArgument, message: "Zählerstand ungültig: ééééé")
        for limit in 6...30 {
            let frame = Frame.status(streamID: 1, status, fitting: limit)
            #expect(frame.payload.readableBytes <= limit)
            let message = try frame.decodePayload(as: CallStatus.self).message
            #expect(status.message.hasPrefix(message))
        }
    }

    @Test("a GOAWAY reason is cut to fit")
    func cutsGoAwayReason() throws {
        let frame = Frame.goAway(lastStreamID: 7, code: .invalidArgument, reason: "unknown frame type 0x42 on stream 1", fitting: 16)
        #expect(frame.payload.readableBytes <= 16)
        let goAway = try frame.decodePayload(as: GoAway.self)
        #expect(goAway.code == RPCStatus.Code.invalidArgument.rawValue && goAway.lastStreamID == 7)
        #expect("unknown frame type 0x42 on stream 1".hasPrefix(goAway.reason))
    }
}
