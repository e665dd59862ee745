import NIOCore
import SOMCodec
import SOMRPC
import Testing

// docs/protocol.md §9 "Error handling summary" (server rows), §7 HEADERS order, §6 GOAWAY; no sockets.
@Suite("Connection state machine, server: §9 errors, §7 HEADERS checks, §6 GOAWAY and drain", .timeLimit(.minutes(2)))
struct ServerConnectionRulesTests {
    typealias H = MachineHarness

    /// A fresh server (before the client's preface) fed `bytes`: the GOAWAY it answers and whether it closed.
    static func connectionError(afterHandshake: Bool = true, _ bytes: [UInt8]) -> (GoAway?, Bool) {
        var server: H
        if afterHandshake {
            server = H.server()
            _ = server.receive(H.headers(1, H.bidirectional))  // one open call, cancelled by the error
            _ = server.written()
        } else {
            server = H(machine: .server(limits: ConnectionLimits(), agent: "test", router: Router()))
            server.machine.start()
            _ = server.written()
        }
        let events = server.receive(bytes)
        guard events.last?.name == "connectionClosed(UNAVAILABLE)" else { return (nil, false) }
        return (server.goAway(), server.machine.isClosed && server.machine.openStreams == 0)
    }

    static func bytes(_ frame: Frame) -> [UInt8] {
        var buffer = ByteBuffer()
        FrameEncoder.encode(frame, into: &buffer)
        return Array(buffer.readableBytesView)
    }

    static func rawFrame(length: UInt32, type: UInt8, streamID: UInt32 = 0, payload: [UInt8] = []) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeInteger(length)
        buffer.writeInteger(type)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(streamID)
        buffer.writeBytes(payload)
        return Array(buffer.readableBytesView)
    }

    @Test("§9 connection error: bad preface is GOAWAY 3 with last_stream_id 0, close")
    func badPreface() {
        let (away, closed) = Self.connectionError(afterHandshake: false, Array("GET / HTTP/1.1".utf8))
        #expect(away?.code == RPCStatus.Code.invalidArgument.rawValue)
        #expect(away?.lastStreamID == 0)
        #expect(away?.reason == FrameError.badPreface.description)
        #expect(closed)
    }

    @Test("§9 connection error: wrong major version is GOAWAY 12")
    func wrongMajor() {
        let (away, closed) = Self.connectionError(afterHandshake: false, Preface.magic + [2, 0])
        #expect(away?.code == RPCStatus.Code.unimplemented.rawValue)
        #expect(away?.reason == "unsupported protocol version 2.0; this server speaks 1.x")
        #expect(closed)
    }

    @Test("§9 connection error: frame too large is GOAWAY 8, judged on the header alone; last_stream_id is the highest id seen")
    func frameTooLarge() {
        let (away, closed) = Self.connectionError(Self.rawFrame(length: UInt32(4 << 20) + 1, type: 0x02, streamID: 1))
        #expect(away?.code == RPCStatus.Code.resourceExhausted.rawValue)
        #expect(away?.lastStreamID == 1)
        #expect(closed)
    }

    @Test("§9 connection error: unknown frame type is GOAWAY 3")
    func unknownType() {
        let (away, closed) = Self.connectionError(Self.rawFrame(length: 0, type: 0x7F))
        #expect(away?.code == RPCStatus.Code.invalidArgument.rawValue)
        #expect(closed)
    }

    @Test("§9 connection error: stream-0 rule broken either way is GOAWAY 3")
    func streamZeroRule() {
        for frame in [Frame.ping(1).with(streamID: 1), Frame.message(streamID: 0, [1])] {
            let (away, closed) = Self.connectionError(Self.bytes(frame))
            #expect(away?.code == RPCStatus.Code.invalidArgument.rawValue)
            #expect(closed)
        }
    }

    @Test("§9 connection error: undecodable SETTINGS, bad PING payload, bad CREDIT payload are GOAWAY 3")
    func badControlPayloads() {
        let frames = [
            Frame(type: .settings, streamID: 0, payload: ByteBuffer(bytes: [0xFF])),
            Frame(type: .ping, streamID: 0, payload: ByteBuffer(bytes: [1, 2, 3])),
            Frame(type: .credit, streamID: 1, payload: ByteBuffer(bytes: [0, 0, 1])),
            .credit(streamID: 1, 0),
        ]
        for frame in frames {
            let (away, closed) = Self.connectionError(Self.bytes(frame))
            #expect(away?.code == RPCStatus.Code.invalidArgument.rawValue, "\(frame)")
            #expect(closed)
        }
    }

    @Test("§9 connection error: max_frame_size below 16 in SETTINGS is GOAWAY 3")
    func tinyMaxFrameSize() {
        let settings = Frame(type: .settings, streamID: 0, payload: ByteBuffer(bytes: ConnectionSettings(maxFrameSize: 15).encoded()))
        let (away, closed) = Self.connectionError(Self.bytes(settings))
        #expect(away?.code == RPCStatus.Code.invalidArgument.rawValue)
        #expect(closed)
    }

    @Test("§9 connection error: HEADERS id not increasing, frame for a never-opened stream (see ServerStreamRulesTests), STATUS from a client")
    func statusFromClient() {
        let (away, closed) = Self.connectionError(Self.bytes(.status(streamID: 1, .ok)))
        #expect(away?.code == RPCStatus.Code.invalidArgument.rawValue)
        #expect(away?.lastStreamID == 1)
        #expect(closed)
    }

    @Test("§9 connection error: nothing is read after it")
    func nothingAfterConnectionError() {
        var server = H.server()
        var bytes = Self.rawFrame(length: 0, type: 0x7F)
        bytes += Self.bytes(H.headers(1, H.unary))
        #expect(server.receive(bytes).map(\.name) == ["connectionClosed(UNAVAILABLE)"])
    }

    @Test("§7 HEADERS order: draining, header size, undecodable, concurrency, unknown method, authorization; each a STATUS, never opened")
    func headersChecks() {
        var limits = ConnectionLimits()
        limits.maxHeaderSize = 64
        limits.maxConcurrentStreams = 1
        var server = H.server(limits: limits)
        _ = server.receive(H.headers(1, H.bidirectional))  // fills the one slot
        let events = server.receive(
            .headers(streamID: 3, CallHeader(method: String(repeating: "x", count: 80))),
            Frame(type: .headers, streamID: 5, payload: ByteBuffer(bytes: [0xFF])),
            H.headers(7, H.unary))
        #expect(events.map(\.name) == ["callRefused(3, RESOURCE_EXHAUSTED)", "callRefused(5, INVALID_ARGUMENT)", "callRefused(7, RESOURCE_EXHAUSTED)"])
        server.machine.finishCall(streamID: 1, status: .ok)
        #expect(server.receive(.headers(streamID: 9, CallHeader(method: "/test.v1.T/Nope")), H.headers(11, H.secret)).map(\.name)
            == ["callRefused(9, UNIMPLEMENTED)", "callRefused(11, PERMISSION_DENIED)"])
        let statuses = server.written().compactMap(\.status)
        #expect(statuses.last == RPCStatus(code: .permissionDenied, message: "uid 1000 may not call Secret"))
        _ = server.receive(H.headers(13, H.bidirectional))  // keeps the draining connection open
        server.machine.beginDraining(code: .unavailable, reason: "server shutting down")
        #expect(server.receive(H.headers(15, H.unary)).map(\.name) == ["callRefused(15, UNAVAILABLE)"])
    }

    @Test("§9 draining / §6 graceful shutdown: GOAWAY 14, new HEADERS get STATUS 14, open calls finish, then close")
    func drain() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.bidirectional))
        server.machine.beginDraining(code: .unavailable, reason: "server shutting down")
        let away = server.goAway()
        #expect(away?.code == RPCStatus.Code.unavailable.rawValue)
        #expect(away?.lastStreamID == 1)
        _ = server.receive(H.headers(3, H.unary))
        #expect(server.written().map { $0.status?.code } == [.unavailable])
        #expect(!server.machine.isClosed)
        guard case .sent = server.machine.sendMessage(streamID: 1, [1]) else { Issue.record("open call stopped by the drain"); return }
        server.machine.finishCall(streamID: 1, status: .ok)
        #expect(server.machine.isClosed)
    }

    @Test("§6 client sent GOAWAY: GOAWAY 0 `client is going away`, drain, close")
    func clientGoAway() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.bidirectional))
        _ = server.receive(.goAway(lastStreamID: 0, code: .ok, reason: "bye"))
        let away = server.goAway()
        #expect(away?.code == 0)
        #expect(away?.reason == "client is going away")
        #expect(!server.machine.isClosed)
        _ = server.receive(Frame(type: .cancel, streamID: 1))
        #expect(server.machine.isClosed)
    }

    @Test("§6 idle timeout: GOAWAY 0 and close only with no open stream")
    func idle() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.bidirectional))
        server.machine.idleTimeoutFired()
        #expect(server.written().isEmpty)
        server.machine.finishCall(streamID: 1, status: .ok)
        _ = server.written()
        server.machine.idleTimeoutFired()
        #expect(server.goAway()?.reason == "idle timeout")
        #expect(server.machine.isClosed)
    }

    @Test("§6 handshake time-out: GOAWAY 4 unless preface and SETTINGS arrived; eviction: GOAWAY 8 at once")
    func handshakeAndEviction() {
        var waiting = H(machine: .server(limits: ConnectionLimits(), agent: "test", router: Router()))
        waiting.machine.start()
        _ = waiting.written()
        #expect(waiting.receive(Preface.bytes).map(\.name) == ["handled"])
        let timedOut = waiting.machine.handshakeTimedOut(after: .seconds(5))
        #expect(timedOut?.code == .unavailable)
        #expect(waiting.goAway()?.code == RPCStatus.Code.deadlineExceeded.rawValue)

        var done = H.server()
        let notTimedOut = done.machine.handshakeTimedOut(after: .seconds(5))
        #expect(notTimedOut == nil)
        #expect(done.written().isEmpty)
        _ = done.receive(H.headers(1, H.bidirectional))
        let evicted = done.machine.closeNow(code: .resourceExhausted, reason: "evicted: test")
        #expect(evicted != nil)
        #expect(done.goAway()?.code == RPCStatus.Code.resourceExhausted.rawValue)
        #expect(done.machine.isClosed && done.machine.openStreams == 0)
    }

    @Test("§3 PING: answered with ACK and the same bytes; an ACK is not answered")
    func ping() throws {
        var server = H.server()
        _ = server.receive(.ping(0x0102_0304_0506_0708), .ping(9, ack: true))
        let frames = server.written()
        #expect(frames.map(\.type) == [.ping])
        #expect(frames.first?.flags == .ack)
        #expect(try frames.first?.decodePing() == 0x0102_0304_0506_0708)
    }

    @Test("§1 the server speaks first: preface and SETTINGS before reading anything")
    func speaksFirst() {
        var server = H(machine: .server(limits: ConnectionLimits(), agent: "somd", router: Router()))
        server.machine.start()
        let bytes = server.machine.takeOutbound().map { Array($0.readableBytesView) } ?? []
        #expect(Array(bytes.prefix(8)) == Preface.bytes)
        #expect(bytes.count == 8 + 10 + 20)  // §10: SETTINGS of 20 bytes with agent "somd"
    }
}

extension Frame {
    /// The same frame on another stream.
    func with(streamID: UInt32) -> Frame {
        var copy = self
        copy.streamID = streamID
        return copy
    }
}
