import NIOCore
import SOMCodec
import SOMRPC
import Testing

// docs/protocol.md §4, §6 and §9 as the client applies them; no sockets.
@Suite("Connection state machine, client: streams, GOAWAY, fatal server errors", .timeLimit(.minutes(2)))
struct ClientConnectionRulesTests {
    typealias H = MachineHarness

    static func open(_ client: inout H, _ shape: CallShape = .bidirectional, first: [UInt8]? = nil, end: Bool = false) throws -> UInt32 {
        try client.machine.openStream(CallHeader(method: "/test.v1.T/M"), shape: shape, firstMessage: first, endStream: end)
    }

    @Test("§4 stream ids: the client opens odd, increasing ids; a unary call is HEADERS + MESSAGE(END_STREAM) in one write")
    func idsAndUnaryWrite() throws {
        var client = H.client()
        #expect(try Self.open(&client, .unary, first: [1], end: true) == 1)
        #expect(try Self.open(&client) == 3)
        let frames = client.written()
        #expect(frames.map(\.type) == [.headers, .message, .headers])
        #expect(frames[1].flags == .endStream)
    }

    @Test("§4 end of a call: an OK STATUS ends the responses; a non-OK STATUS fails the call with its code, even before any request")
    func statusEndsCall() throws {
        var client = H.client()
        let ok = try Self.open(&client, .serverStreaming, first: [1], end: true)
        let refused = try Self.open(&client, .unary)
        #expect(client.receive(.message(streamID: ok, [1]), .status(streamID: ok, .ok),
            .status(streamID: refused, RPCStatus(code: .unimplemented, message: "unknown method"))).map(\.name)
            == ["message(1)", "streamClosed(1, OK)", "streamClosed(3, UNIMPLEMENTED)"])
        #expect(client.machine.openStreams == 0)
    }

    @Test("§4 the client ignores every frame for a stream it does not have open")
    func ignoresUnknownStreams() throws {
        var client = H.client()
        #expect(client.receive(.message(streamID: 7, [1]), .status(streamID: 9, .ok), .credit(streamID: 11, 1)).map(\.name)
            == ["handled", "handled", "handled"])
        #expect(!client.machine.isClosed)
    }

    @Test("§4 CANCEL: the client sends CANCEL and the stream is gone; later server frames are ignored")
    func cancel() throws {
        var client = H.client()
        let id = try Self.open(&client)
        _ = client.written()
        let wasOpen = client.machine.cancel(streamID: id)
        #expect(wasOpen)
        #expect(client.written().map(\.type) == [.cancel])
        #expect(client.receive(.status(streamID: id, .ok)).map(\.name) == ["handled"])
    }

    @Test("§4 the server broke the stream rules: the client sends CANCEL and fails the call INTERNAL")
    func serverBrokeRules() throws {
        var client = H.client()
        let id = try Self.open(&client, .unary, first: [1], end: true)
        _ = client.written()
        #expect(client.receive(.message(streamID: id, [1]), .message(streamID: id, [2])).map(\.name) == ["message(1)", "streamClosed(1, INTERNAL)"])
        #expect(client.written().map(\.type) == [.cancel])
    }

    @Test("§5 a server MESSAGE beyond the client's credit: CANCEL, INTERNAL")
    func serverWithoutCredit() throws {
        var limits = ConnectionLimits()
        limits.initialStreamCredit = 1
        var client = H.client(limits: limits)
        let id = try Self.open(&client, .serverStreaming, first: [1], end: true)
        _ = client.written()
        #expect(client.receive(.message(streamID: id, [1]), .message(streamID: id, [2])).map(\.name) == ["message(1)", "streamClosed(1, INTERNAL)"])
    }

    @Test("§5 the client waits for credit; a message above the server's max_frame_size is RESOURCE_EXHAUSTED, nothing written")
    func clientCreditAndSize() throws {
        var client = H.client(settings: ConnectionSettings(maxFrameSize: 16, initialStreamCredit: 1))
        #expect(throws: RPCError.self) { try Self.open(&client, .unary, first: [UInt8](repeating: 0, count: 17), end: true) }
        #expect(client.written().isEmpty)
        let id = try Self.open(&client, .clientStreaming)
        guard case .sent = client.machine.sendMessage(streamID: id, [1]), case .waitForCredit = client.machine.sendMessage(streamID: id, [2])
        else { Issue.record("credit not enforced"); return }
        guard case .refused(let error) = client.machine.sendMessage(streamID: id, [UInt8](repeating: 0, count: 17)) else { Issue.record("too large sent"); return }
        #expect(error.code == .resourceExhausted)
        _ = client.receive(.credit(streamID: id, 1))
        guard case .sent = client.machine.sendMessage(streamID: id, [2]) else { Issue.record("credit not added"); return }
        client.machine.finishSending(streamID: id)
        #expect(client.written().map(\.type) == [.headers, .message, .message, .end])
    }

    @Test("§6 deadline: the client sends CANCEL and reports DEADLINE_EXCEEDED")
    func deadline() throws {
        var client = H.client()
        let id = try Self.open(&client, .unary, first: [1], end: true)
        _ = client.written()
        let expired = client.machine.deadlineExpired(streamID: id, timeout: .seconds(1))
        #expect(expired?.code == .deadlineExceeded)
        #expect(client.written().map(\.type) == [.cancel])
    }

    @Test("§6 client side GOAWAY: streams above last_stream_id fail at once (UNAVAILABLE for code OK, else the code); the rest continue; no new calls")
    func goAway() throws {
        var client = H.client()
        for _ in 0..<3 { _ = try Self.open(&client) }
        #expect(client.receive(.goAway(lastStreamID: 1, code: .ok, reason: "idle timeout")).map(\.name) == ["streamsRefused([3, 5], UNAVAILABLE)"])
        #expect(client.machine.openStreams == 1)
        #expect(throws: RPCError.self) { try Self.open(&client) }
        var other = H.client()
        _ = try Self.open(&other)
        #expect(other.receive(.goAway(lastStreamID: 0, code: .resourceExhausted, reason: "full")).map(\.name) == ["streamsRefused([1], RESOURCE_EXHAUSTED)"])
    }

    @Test("§9 client: a protocol error from the server is fatal: no GOAWAY, every call fails UNAVAILABLE")
    func fatalServerErrors() throws {
        let bad: [Frame] = [
            Frame(type: .goAway, streamID: 0, payload: ByteBuffer(bytes: [0xFF])),  // undecodable control payload
            .headers(streamID: 2, CallHeader()),  // forbidden frame type
            Frame(type: .end, streamID: 1),
            Frame(type: .cancel, streamID: 1),
            .credit(streamID: 1, UInt32(Int32.max)),  // CREDIT overflow
        ]
        for frame in bad {
            var client = H.client()
            _ = try Self.open(&client)
            _ = client.written()
            #expect(client.receive(frame).map(\.name) == ["connectionClosed(UNAVAILABLE)"], "\(frame)")
            #expect(client.written().isEmpty)
            #expect(client.machine.isClosed)
        }
        var preface = H(machine: .client(limits: ConnectionLimits()))
        #expect(preface.receive(Array("HTTP/1.1".utf8)).map(\.name) == ["connectionClosed(UNAVAILABLE)"])
        #expect(preface.written().isEmpty)
    }

    @Test("§3 PING: the client answers a server PING; its own PING goes out")
    func ping() {
        var client = H.client()
        _ = client.receive(.ping(7))
        client.machine.ping(8)
        #expect(client.written().map(\.flags) == [.ack, []])
    }
}
