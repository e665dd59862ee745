import NIOCore
import SOMCodec
import SOMRPC
import SOMTestSupport
import Testing

@Suite("Malformed input over the socket: a clear GOAWAY, and the server keeps serving others", .timeLimit(.minutes(3)))
struct RPCMalformedInputTests {
    /// Sends `bytes` on a fresh connection and returns the GOAWAY the server answers with.
    func goAway(after bytes: [UInt8], socket: String, handshake: Bool = true) async throws -> GoAway {
        let raw = try await RawConnection(socketPath: socket)
        if handshake { try await raw.handshake() }
        try await raw.sendBytes(bytes)
        let frame = try await raw.nextFrame { $0.type == .goAway }
        try await raw.close()
        return try frame.decodePayload(as: GoAway.self)
    }

    func frameBytes(_ frame: Frame) -> [UInt8] {
        var buffer = ByteBuffer()
        FrameEncoder.encode(frame, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("bad preface, wrong version, oversized frame, unknown type, never-opened stream, STATUS from a client")
    func connectionErrors() async throws {
        try await withTestServer { socket, _ in
            let http = try await goAway(after: Array("GET / HTTP/1.1\r\n\r\n".utf8), socket: socket, handshake: false)
            #expect(http.code == RPCStatus.Code.invalidArgument.rawValue && http.reason.contains("preface"))

            let version = try await goAway(after: Preface.magic + [9, 0], socket: socket, handshake: false)
            #expect(version.code == RPCStatus.Code.unimplemented.rawValue && version.reason.contains("9.0"))

            let oversized = try await goAway(after: [0x7F, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0, 1], socket: socket)
            #expect(oversized.code == RPCStatus.Code.resourceExhausted.rawValue && oversized.reason.contains("maximum frame size"))

            let unknown = try await goAway(after: [0, 0, 0, 0, 0x42, 0, 0, 0, 0, 1], socket: socket)
            #expect(unknown.reason.contains("unknown frame type 0x42"))

            let neverOpened = try await goAway(after: frameBytes(.message(streamID: 99, [])), socket: socket)
            #expect(neverOpened.reason.contains("never opened"))

            let even = try await goAway(after: frameBytes(.headers(streamID: 2, CallHeader(method: "/som.v1.Admin/Echo"))), socket: socket)
            #expect(even.reason.contains("odd-numbered"))

            let status = try await goAway(after: frameBytes(.status(streamID: 1, .ok)), socket: socket)
            #expect(status.reason.contains("STATUS") || status.reason.contains("status"))

            let serving = try await SOMClientProbe.health(socket)
            #expect(serving == .serving)
        }
    }

    @Test("a frame for a closed stream is ignored; the connection keeps working")
    func closedStreamFrameIgnored() async throws {
        try await withTestServer { socket, _ in
            let raw = try await RawConnection(socketPath: socket)
            try await raw.handshake()
            try await raw.send(.headers(streamID: 1, CallHeader(method: "/som.v1.Admin/Echo")))
            try await raw.send(.message(streamID: 1, EchoMessage(repeat: 1).encoded(), endStream: true))
            _ = try await raw.nextFrame { $0.type == .status && $0.streamID == 1 }
            try await raw.send(.credit(streamID: 1, 5))  // late credit for the finished stream
            try await raw.send(.headers(streamID: 3, CallHeader(method: "/som.v1.Admin/Echo")))
            try await raw.send(.message(streamID: 3, EchoMessage(repeat: 2).encoded(), endStream: true))
            let reply = try await raw.nextFrame { $0.type == .message && $0.streamID == 3 }
            #expect(try reply.decodePayload(as: EchoMessage.self).repeat == 2)
            try await raw.close()
        }
    }

    @Test("a request that does not decode is INVALID_ARGUMENT on that stream only")
    func undecodableRequest() async throws {
        try await withTestServer { socket, _ in
            let raw = try await RawConnection(socketPath: socket)
            try await raw.handshake()
            try await raw.send(.headers(streamID: 1, CallHeader(method: "/som.v1.Admin/Echo")))
            try await raw.send(.message(streamID: 1, [0x0A, 0x05, 0x01], endStream: true))
            let status = RPCStatus(try await raw.nextFrame { $0.type == .status }.decodePayload(as: CallStatus.self))
            #expect(status.code == .invalidArgument)
            #expect(status.message.contains("som.v1.EchoMessage"))
            try await raw.close()
        }
    }

    @Test("truncated frames, garbage and 10,000 random frames never take the server down")
    func randomFrames() async throws {
        try await withTestServer { socket, _ in
            var rng = SystemRandomNumberGenerator()
            // A truncated frame, then the client vanishes.
            let truncated = try await RawConnection(socketPath: socket)
            try await truncated.handshake()
            try await truncated.sendBytes([0, 0, 0, 50, 0x02, 0, 0, 0, 0, 1, 1, 2, 3])
            try await truncated.close()
            // 200 connections x 50 random frames (valid headers, random types, flags, streams and payloads).
            for _ in 0..<200 {
                let raw = try await RawConnection(socketPath: socket)
                var bytes = Preface.bytes
                for _ in 0..<50 {
                    let type = FrameType.allCases.randomElement(using: &rng)!
                    let payload = (0..<Int.random(in: 0...24, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    var buffer = ByteBuffer()
                    FrameEncoder.encode(Frame(type: type, flags: FrameFlags(rawValue: .random(in: 0...3, using: &rng)),
                                              streamID: .random(in: 0...8, using: &rng), payload: ByteBuffer(bytes: payload)), into: &buffer)
                    bytes += buffer.readableBytesView
                }
                try? await raw.sendBytes(bytes)
                try await raw.close()
            }
            let status = try await SOMClientProbe.health(socket)
            #expect(status == .serving)
        }
    }
}
