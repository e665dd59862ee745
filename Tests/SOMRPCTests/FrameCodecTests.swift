import NIOCore
import SOMCodec
import SOMRPC
import Testing

@Suite("Frames on the wire", .timeLimit(.minutes(1)))
struct FrameCodecTests {
    /// A MESSAGE frame on stream 3 with END_STREAM and the payload "hi".
    static let messageBytes: [UInt8] = [
        0, 0, 0, 2,  // payload length 2
        0x02,  // type MESSAGE
        0x01,  // flags END_STREAM
        0, 0, 0, 3,  // stream id 3
        0x68, 0x69,  // payload "hi"
    ]

    @Test("the encoder writes the documented bytes")
    func encodesDocumentedBytes() {
        var buffer = ByteBuffer()
        FrameEncoder.encode(.message(streamID: 3, Array("hi".utf8), endStream: true), into: &buffer)
        #expect(Array(buffer.readableBytesView) == Self.messageBytes)
        var direct = ByteBuffer()
        FrameEncoder.encode(type: .message, flags: .endStream, streamID: 3, payload: Array("hi".utf8), into: &direct)
        #expect(direct == buffer)
    }

    @Test("a frame fed all at once and byte by byte decodes the same")
    func incrementalDecoding() throws {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        var whole = ByteBuffer(bytes: Self.messageBytes + Self.messageBytes)
        let first = try #require(try decoder.next(from: &whole))
        let second = try #require(try decoder.next(from: &whole))
        #expect(first == second)
        #expect(first.type == .message && first.flags.contains(.endStream) && first.streamID == 3)
        #expect(Array(first.payload.readableBytesView) == Array("hi".utf8))
        #expect(try decoder.next(from: &whole) == nil)

        var trickle = ByteBuffer()
        var frames: [Frame] = []
        for byte in Self.messageBytes {
            trickle.writeInteger(byte)
            if let frame = try decoder.next(from: &trickle) { frames.append(frame) }
        }
        #expect(frames == [first])
        #expect(trickle.readableBytes == 0)
    }

    @Test("an oversized length is refused from the header alone")
    func oversizeRefusedBeforeBuffering() {
        var decoder = FrameDecoder(maxFrameSize: 4 << 20)
        // Only the 10 header bytes: the 2 GiB payload was never sent, and need not be.
        var buffer = ByteBuffer(bytes: [0x80, 0, 0, 0, 0x02, 0, 0, 0, 0, 1])
        #expect(throws: FrameError.tooLarge(length: 0x8000_0000, limit: 4 << 20)) { try decoder.next(from: &buffer) }
    }

    @Test("an unknown frame type is an error")
    func unknownType() {
        var decoder = FrameDecoder(maxFrameSize: 1024)
        var buffer = ByteBuffer(bytes: [0, 0, 0, 0, 0x7F, 0, 0, 0, 0, 1])
        #expect(throws: FrameError.unknownType(0x7F)) { try decoder.next(from: &buffer) }
    }

    @Test("the preface: accepted, too short, wrong magic (early), wrong major version")
    func preface() throws {
        var good = ByteBuffer(bytes: Preface.bytes)
        #expect(try Preface.read(from: &good)! == (1, 0))
        var short = ByteBuffer(bytes: Array(Preface.bytes.prefix(5)))
        #expect(try Preface.read(from: &short) == nil)
        var http = ByteBuffer(bytes: Array("GE".utf8))
        #expect(throws: FrameError.badPreface) { try Preface.read(from: &http) }
        var future = ByteBuffer(bytes: Preface.magic + [2, 0])
        #expect(throws: FrameError.unsupportedVersion(major: 2, minor: 0)) { try Preface.read(from: &future) }
    }

    @Test("control frames round-trip: status, credit, ping, go-away, settings")
    func controlFrames() throws {
        let status = RPCStatus(code: .notFound, message: "order ord-1 not found", details: ["field": "order_id"])
        #expect(RPCStatus(try Frame.status(streamID: 1, status).decodePayload(as: CallStatus.self)) == status)
        #expect(try Frame.credit(streamID: 1, 17).decodeCredit() == 17)
        #expect(try Frame.ping(0xDEAD_BEEF).decodePing() == 0xDEAD_BEEF)
        let away = try Frame.goAway(lastStreamID: 9, code: .unavailable, reason: "shutting down").decodePayload(as: GoAway.self)
        #expect(away == GoAway(lastStreamID: 9, code: 14, reason: "shutting down"))
        let settings = try Frame.settings(ConnectionLimits(), agent: "test").decodePayload(as: ConnectionSettings.self)
        #expect(settings.maxFrameSize == 4 << 20 && settings.initialStreamCredit == 64 && settings.agent == "test")
        #expect(throws: FrameError.self) { try Frame(type: .credit, streamID: 1, payload: ByteBuffer(bytes: [0, 0, 0, 0])).decodeCredit() }
        #expect(throws: FrameError.self) { try Frame(type: .ping, streamID: 0, payload: ByteBuffer(bytes: [1])).decodePing() }
    }

    @Test("unknown status numbers read as UNKNOWN")
    func unknownStatusCode() {
        #expect(RPCStatus.Code(wireValue: 99) == .unknown)
        #expect(RPCStatus.Code(wireValue: 4) == .deadlineExceeded)
    }

    @Test("10,000 random byte sequences decode to frames or a FrameError, never a crash")
    func randomSequences() {
        var rng = SystemRandomNumberGenerator()
        var errors = 0, frames = 0
        for _ in 0..<10_000 {
            var decoder = FrameDecoder(maxFrameSize: 256)
            var bytes: [UInt8] = []
            // Mix valid headers with garbage so both paths run.
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                if Bool.random(using: &rng) {
                    let length = UInt32.random(in: 0...300, using: &rng)
                    bytes += withUnsafeBytes(of: length.bigEndian, Array.init)
                    bytes += [UInt8.random(in: 0...12, using: &rng), UInt8.random(in: 0...3, using: &rng)]
                    bytes += (0..<4).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    bytes += (0..<Int.random(in: 0...Int(min(length, 64)), using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                } else {
                    bytes += (0..<Int.random(in: 0...32, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                }
            }
            var buffer = ByteBuffer(bytes: bytes)
            do {
                while let _ = try decoder.next(from: &buffer) { frames += 1 }
            } catch {
                errors += 1
            }
        }
        #expect(errors > 0 && frames > 0)
    }
}
