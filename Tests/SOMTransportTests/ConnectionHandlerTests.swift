import Logging
import NIOCore
import NIOEmbedded
import SOMCodec
import SOMRPC
@testable import SOMTransport
import Testing

/// An embedded server connection: frames in, frames out, time advanced by hand.
struct EmbeddedConnection {
    let channel = EmbeddedChannel()
    var loop: EmbeddedEventLoop { channel.embeddedEventLoop }

    init(router: Router = Router(), configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration(socketPath: "/unused")
        configure(&configuration)
        try channel.pipeline.syncOperations.addHandler(ServerConnectionHandler(
            router: router, configuration: configuration, peer: PeerCredentials(uid: 1000, gid: 1000, pid: 1),
            logger: Logger(label: "embedded")))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/unused")).wait()
    }

    func send(_ bytes: [UInt8]) throws {
        try channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    func send(_ frame: Frame) throws {
        var buffer = ByteBuffer()
        FrameEncoder.encode(frame, into: &buffer)
        try channel.writeInbound(buffer)
    }

    func sendHandshake(_ settings: ConnectionSettings = ConnectionSettings()) throws {
        try send(Preface.bytes)
        try send(Frame(type: .settings, streamID: 0, payload: ByteBuffer(bytes: settings.encoded())))
    }

    /// Every frame written so far (the server's preface skipped), after the loop ran what was queued.
    func written() throws -> [Frame] {
        try writtenFrames(channel)
    }
}

/// Every frame `channel` wrote so far (a leading preface skipped), after its loop ran what was queued.
func writtenFrames(_ channel: EmbeddedChannel) throws -> [Frame] {
    channel.embeddedEventLoop.run()
    var all = ByteBuffer()
    while var next = try channel.readOutbound(as: ByteBuffer.self) { all.writeBuffer(&next) }
    if all.getBytes(at: all.readerIndex, length: 6) == Preface.magic { all.moveReaderIndex(forwardBy: Preface.size) }
    var decoder = FrameDecoder(maxFrameSize: 16 << 20)
    var frames: [Frame] = []
    while let frame = try decoder.next(from: &all) { frames.append(frame) }
    return frames
}

@Suite("Server connection handler on an embedded channel: handshake time-out, eviction, frames that fit", .timeLimit(.minutes(1)))
struct ConnectionHandlerTests {
    @Test("no preface and SETTINGS within the handshake time-out: GOAWAY DEADLINE_EXCEEDED and close, not a moment earlier")
    func handshakeTimeout() throws {
        let connection = try EmbeddedConnection { $0.handshakeTimeout = .seconds(5) }
        #expect(try connection.written().map(\.type) == [.settings])
        try connection.send(Preface.bytes)  // a preface alone does not complete the handshake
        connection.loop.advanceTime(by: .milliseconds(4_999))
        #expect(try connection.written().isEmpty)
        #expect(connection.channel.isActive)
        connection.loop.advanceTime(by: .milliseconds(1))
        let frames = try connection.written()
        #expect(frames.map(\.type) == [.goAway])
        #expect(try frames.first?.decodePayload(as: GoAway.self).code == RPCStatus.Code.deadlineExceeded.rawValue)
        #expect(!connection.channel.isActive)
    }

    @Test("a completed handshake cancels the time-out")
    func handshakeCompleted() throws {
        let connection = try EmbeddedConnection { $0.handshakeTimeout = .seconds(5) }
        try connection.sendHandshake()
        connection.loop.advanceTime(by: .seconds(60))
        #expect(try connection.written().map(\.type) == [.settings])
        #expect(connection.channel.isActive)
        _ = try connection.channel.finish()
    }

    @Test("an eviction closes at once with GOAWAY RESOURCE_EXHAUSTED")
    func eviction() throws {
        let connection = try EmbeddedConnection()
        _ = try connection.written()
        connection.channel.pipeline.fireUserInboundEventTriggered(EvictEvent(reason: "evicted: test"))
        let frames = try connection.written()
        #expect(frames.map(\.type) == [.goAway])
        #expect(try frames.first?.decodePayload(as: GoAway.self).code == RPCStatus.Code.resourceExhausted.rawValue)
        #expect(!connection.channel.isActive)
    }

    @Test("a STATUS for an unknown method fits a 16-byte max_frame_size; 15 is refused")
    func statusFitsTinyFrames() throws {
        let connection = try EmbeddedConnection()
        try connection.sendHandshake(ConnectionSettings(maxFrameSize: 16))
        try connection.send(.headers(streamID: 1, CallHeader(method: "/som.v1.Nowhere/AtAll")))
        let status = try #require(try connection.written().first { $0.type == .status })
        #expect(status.payload.readableBytes <= 16)
        #expect(RPCStatus(try status.decodePayload(as: CallStatus.self)).code == .unimplemented)
        _ = try connection.channel.finish()

        let small = try EmbeddedConnection()
        try? small.sendHandshake(ConnectionSettings(maxFrameSize: 15))
        let goAway = try #require(try small.written().first { $0.type == .goAway })
        #expect(try goAway.decodePayload(as: GoAway.self).code == RPCStatus.Code.invalidArgument.rawValue)
        #expect(!small.channel.isActive)
    }

    @Test("a refused connection gets the preface and GOAWAY, then is closed")
    func refusal() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(RefusalHandler(code: .resourceExhausted, reason: "too many connections (limit 2)"))
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/unused")).wait()
        var out = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(out.readBytes(length: Preface.size) == Preface.bytes)
        var decoder = FrameDecoder(maxFrameSize: 1 << 20)
        let frame = try #require(try decoder.next(from: &out))
        let goAway = try frame.decodePayload(as: GoAway.self)
        #expect(goAway.code == RPCStatus.Code.resourceExhausted.rawValue && goAway.reason == "too many connections (limit 2)")
        #expect(!channel.isActive)
    }
}
