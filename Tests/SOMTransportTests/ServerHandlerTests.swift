import Logging
import NIOCore
import NIOEmbedded
import SOMCodec
import SOMRPC
@testable import SOMTransport
import Testing

/// An error that says its own status, like a service's errors.
struct NotHere: Error, RPCStatusConvertible {
    var rpcStatus: RPCStatus { RPCStatus(code: .notFound, message: "no such order") }
}

/// Inline unary methods: they run on the (embedded) event loop, so no task and no other thread.
func inlineRouter() -> Router {
    var router = Router()
    router.unaryInline("test.v1.T", "Echo") { (request: EchoMessage, _) in request.encoded() }
    router.unaryInline("test.v1.T", "Missing") { (_: EchoMessage, _) in throw NotHere() }
    router.unaryInline("test.v1.T", "Broken") { (_: EchoMessage, _) in throw CancellationError() }
    router.unaryInline("test.v1.T", "Secret") { (request: EchoMessage, _) in request.encoded() }
    return router
}

// The server handler on an EmbeddedChannel: frames in, frames out, time advanced by hand. The
// rules themselves are the state machine's (Tests/SOMRPCTests); these check that the handler
// carries out its events: writes, timers, handlers, closing. Row names refer to docs/protocol.md.
@Suite("Server handler on an embedded channel: §4 and §9 rows end to end", .timeLimit(.minutes(2)))
struct ServerHandlerTests {
    static func connection() throws -> EmbeddedConnection {
        let connection = try EmbeddedConnection(router: inlineRouter()) { configuration in
            configuration.authorize = { _, method in method.method == "Secret" ? "not for uid 1000" : nil }
        }
        try connection.sendHandshake()
        _ = try connection.written()
        return connection
    }

    static func call(_ id: UInt32, _ method: String, timeoutUs: UInt64 = 0) -> Frame {
        .headers(streamID: id, CallHeader(method: "/test.v1.T/\(method)", timeoutUs: timeoutUs))
    }

    @Test("§10 unary call: MESSAGE and OK STATUS in one write")
    func unary() throws {
        let connection = try Self.connection()
        try connection.send(Self.call(1, "Echo"))
        try connection.send(.message(streamID: 1, EchoMessage(payload: [1, 2]).encoded(), endStream: true))
        connection.loop.run()
        var bytes = try #require(try connection.channel.readOutbound(as: ByteBuffer.self))
        #expect(try connection.channel.readOutbound(as: ByteBuffer.self) == nil)  // one write
        #expect(Array(bytes.readableBytesView) == [0, 0, 0, 4, 2, 0, 0, 0, 0, 1, 0x0a, 2, 1, 2, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1])
        bytes.moveReaderIndex(to: bytes.writerIndex)
    }

    @Test("§9 stream error: handler error maps through RPCStatusConvertible; anything else is INTERNAL; the connection continues")
    func handlerErrors() throws {
        let connection = try Self.connection()
        try connection.send(Self.call(1, "Missing"))
        try connection.send(.message(streamID: 1, [], endStream: true))
        try connection.send(Self.call(3, "Broken"))
        try connection.send(.message(streamID: 3, [], endStream: true))
        #expect(try connection.written().map(\.status) == [RPCStatus(code: .notFound, message: "no such order"),
            RPCStatus(code: .cancelled, message: "the call was cancelled")])
        #expect(connection.channel.isActive)
    }

    @Test("§9 stream error: denied is PERMISSION_DENIED with the policy's message; the handler never runs")
    func denied() throws {
        let connection = try Self.connection()
        try connection.send(Self.call(1, "Secret"))
        try connection.send(.message(streamID: 1, EchoMessage(payload: [1]).encoded(), endStream: true))
        #expect(try connection.written().map(\.status) == [RPCStatus(code: .permissionDenied, message: "not for uid 1000")])
    }

    @Test("§9 stream error: deadline: STATUS DEADLINE_EXCEEDED when the timer fires, not a moment earlier")
    func deadline() throws {
        let connection = try Self.connection()
        try connection.send(Self.call(1, "Echo", timeoutUs: 2_000))
        connection.loop.advanceTime(by: .microseconds(1_999))
        #expect(try connection.written().isEmpty)
        connection.loop.advanceTime(by: .microseconds(1))
        #expect(try connection.written().map { $0.status?.code } == [.deadlineExceeded])
        try connection.send(.message(streamID: 1, [], endStream: true))  // late: ignored
        #expect(try connection.written().isEmpty)
    }

    @Test("§4 CANCEL: no STATUS, the deadline timer is gone")
    func cancel() throws {
        let connection = try Self.connection()
        try connection.send(Self.call(1, "Echo", timeoutUs: 1_000))
        try connection.send(Frame(type: .cancel, streamID: 1))
        connection.loop.advanceTime(by: .seconds(1))
        #expect(try connection.written().isEmpty)
    }

    @Test("§9 connection error: GOAWAY with the error's code and the highest id seen, then the channel closes")
    func connectionError() throws {
        let connection = try Self.connection()
        try connection.send(Self.call(1, "Echo"))
        try connection.send(.status(streamID: 1, .ok))
        let frames = try connection.written()
        let away = try #require(try frames.first?.decodePayload(as: GoAway.self))
        #expect(frames.map(\.type) == [.goAway])
        #expect(away.code == RPCStatus.Code.invalidArgument.rawValue && away.lastStreamID == 1)
        #expect(!connection.channel.isActive)
    }

    @Test("§9 draining: GOAWAY 14, then HEADERS get STATUS 14; the connection closes when its last call ends")
    func draining() throws {
        let connection = try Self.connection()
        try connection.send(Self.call(1, "Echo"))
        connection.channel.pipeline.fireUserInboundEventTriggered(GoAwayEvent(reason: "server shutting down"))
        try connection.send(Self.call(3, "Echo"))
        let frames = try connection.written()
        #expect(frames.map(\.type) == [.goAway, .status])
        #expect(frames.last?.status?.code == .unavailable)
        #expect(connection.channel.isActive)
        try connection.send(.message(streamID: 1, EchoMessage().encoded(), endStream: true))
        #expect(try connection.written().map(\.type) == [.message, .status])
        #expect(!connection.channel.isActive)
    }

    @Test("§6 idle timeout: GOAWAY 0 and close with no open stream; an open stream keeps it")
    func idle() throws {
        let busy = try Self.connection()
        try busy.send(Self.call(1, "Echo"))
        busy.channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(try busy.written().isEmpty)
        #expect(busy.channel.isActive)

        let idle = try Self.connection()
        idle.channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.all)
        #expect(try idle.written().compactMap { try? $0.decodePayload(as: GoAway.self).reason } == ["idle timeout"])
        #expect(!idle.channel.isActive)
    }

    @Test("§3 PING answered on the loop, in the read's write")
    func ping() throws {
        let connection = try Self.connection()
        try connection.send(.ping(42))
        let frames = try connection.written()
        #expect(frames.map(\.flags) == [.ack])
        #expect(try frames.first?.decodePing() == 42)
    }
}

extension Frame {
    /// The STATUS payload, decoded (nil for other frames).
    var status: RPCStatus? {
        guard type == .status, let wire = try? decodePayload(as: CallStatus.self) else { return nil }
        return RPCStatus(wire)
    }
}
