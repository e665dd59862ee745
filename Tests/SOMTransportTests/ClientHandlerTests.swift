import NIOCore
import NIOEmbedded
import SOMCodec
import SOMRPC
@testable import SOMTransport
import Testing

/// An embedded client connection whose server's preface and SETTINGS are already in.
struct EmbeddedClient {
    let channel = EmbeddedChannel()
    let handler: ClientConnectionHandler
    var loop: EmbeddedEventLoop { channel.embeddedEventLoop }

    init(settings: ConnectionSettings = ConnectionSettings(), maxQueuedBytes: Int = 256 << 10) throws {
        handler = ClientConnectionHandler(limits: ConnectionLimits(), maxQueuedBytes: maxQueuedBytes)
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(unixDomainSocketPath: "/unused")).wait()
        var bytes = ByteBuffer(bytes: Preface.bytes)
        FrameEncoder.encode(Frame(type: .settings, streamID: 0, payload: ByteBuffer(bytes: settings.encoded())), into: &bytes)
        try channel.writeInbound(bytes)
        _ = try written()
    }

    func send(_ frames: Frame...) throws {
        var buffer = ByteBuffer()
        for frame in frames { FrameEncoder.encode(frame, into: &buffer) }
        try channel.writeInbound(buffer)
    }

    func written() throws -> [Frame] {
        try writtenFrames(channel)
    }

    func open(_ shape: CallShape = .bidirectional, timeout: Duration? = nil, first: [UInt8]? = nil)
        throws -> (UInt32, AsyncThrowingStream<[UInt8], any Error>)
    {
        let (id, responses, _) = try handler.open(
            header: CallHeader(method: "/test.v1.T/M"), shape: shape, timeout: timeout, firstMessage: first, endStream: first != nil)
        return (id, responses)
    }
}

/// The responses of a call, or the error code it failed with.
func collect(_ responses: AsyncThrowingStream<[UInt8], any Error>) async -> ([[UInt8]], RPCStatus.Code?) {
    var messages: [[UInt8]] = []
    do {
        for try await message in responses { messages.append(message) }
        return (messages, nil)
    } catch let error as RPCError {
        return (messages, error.code)
    } catch {
        return (messages, .unknown)
    }
}

// The client handler on an EmbeddedChannel; row names refer to docs/protocol.md.
@Suite("Client handler on an embedded channel: calls, deadlines, GOAWAY, fatal errors, writability", .timeLimit(.minutes(2)))
struct ClientHandlerTests {
    @Test("§10 unary: HEADERS and MESSAGE in one write; MESSAGE then OK STATUS ends the responses")
    func unary() async throws {
        let client = try EmbeddedClient()
        let (id, responses) = try client.open(.unary, first: [1, 2])
        client.loop.run()
        _ = try #require(try client.channel.readOutbound(as: ByteBuffer.self))
        #expect(try client.channel.readOutbound(as: ByteBuffer.self) == nil)
        try client.send(.message(streamID: id, [3]), .status(streamID: id, .ok))
        let (messages, failure) = await collect(responses)
        #expect(messages == [[3]] && failure == nil)
    }

    @Test("coalescing: calls opened in the same loop tick leave in one write")
    func coalescing() throws {
        let client = try EmbeddedClient()
        for _ in 0..<64 { _ = try client.open(.unary, first: [1]) }
        client.loop.run()
        var bytes = try #require(try client.channel.readOutbound(as: ByteBuffer.self))
        #expect(try client.channel.readOutbound(as: ByteBuffer.self) == nil)
        var decoder = FrameDecoder(maxFrameSize: 1 << 20)
        var frames = 0
        while try decoder.next(from: &bytes) != nil { frames += 1 }
        #expect(frames == 128)  // HEADERS and MESSAGE of each call
    }

    @Test("§4 a STATUS before the request: the call fails with its code")
    func statusBeforeRequest() async throws {
        let client = try EmbeddedClient()
        let (id, responses) = try client.open(.unary)
        try client.send(.status(streamID: id, RPCStatus(code: .unimplemented, message: "unknown method")))
        #expect(await collect(responses).1 == .unimplemented)
    }

    @Test("§6 deadline: CANCEL goes out and the call fails DEADLINE_EXCEEDED when the timer fires")
    func deadline() async throws {
        let client = try EmbeddedClient()
        let (_, responses) = try client.open(.unary, timeout: .milliseconds(5), first: [1])
        _ = try client.written()
        client.loop.advanceTime(by: .milliseconds(5))
        #expect(try client.written().map(\.type) == [.cancel])
        #expect(await collect(responses).1 == .deadlineExceeded)
    }

    @Test("§4 CANCEL from the caller: CANCEL frame, the call fails CANCELLED")
    func cancel() async throws {
        let client = try EmbeddedClient()
        let (id, responses) = try client.open()
        _ = try client.written()
        client.handler.cancel(streamID: id)
        #expect(try client.written().map(\.type) == [.cancel])
        #expect(await collect(responses).1 == .cancelled)
    }

    @Test("§6 GOAWAY: calls above last_stream_id fail at once; the others continue; new calls are refused")
    func goAway() async throws {
        let client = try EmbeddedClient()
        let (first, kept) = try client.open()
        let (_, refused) = try client.open()
        try client.send(.goAway(lastStreamID: first, code: .unavailable, reason: "server shutting down"))
        #expect(await collect(refused).1 == .unavailable)
        #expect(throws: RPCError.self) { try client.open() }
        try client.send(.status(streamID: first, .ok))
        #expect(await collect(kept).1 == nil)
    }

    @Test("§9 client: a protocol error from the server closes the connection without GOAWAY; every call fails UNAVAILABLE")
    func fatal() async throws {
        let client = try EmbeddedClient()
        let (_, responses) = try client.open()
        _ = try client.written()
        try client.send(.headers(streamID: 2, CallHeader()))
        #expect(try client.written().isEmpty)
        #expect(!client.channel.isActive)
        #expect(await collect(responses).1 == .unavailable)
    }

    @Test("writability: a message waits while the channel is unwritable and goes when it is writable again")
    func writability() throws {
        let client = try EmbeddedClient()
        let (id, _) = try client.open(.clientStreaming)
        _ = try client.written()
        client.channel.isWritable = false
        client.channel.pipeline.fireChannelWritabilityChanged()
        let promise = client.loop.makePromise(of: Void.self)
        client.handler.send([1], streamID: id, endStream: false, promise: promise)
        #expect(try client.written().isEmpty)
        #expect(client.handler.driver.budget.queued == 1)
        client.channel.isWritable = true
        client.channel.pipeline.fireChannelWritabilityChanged()
        #expect(try client.written().map(\.type) == [.message])
        try promise.futureResult.wait()
        #expect(client.handler.driver.budget.queued == 0)
    }

    @Test("writability: the sender's gate holds back the fast path while the channel is unwritable or the budget is spent")
    func gate() throws {
        let client = try EmbeddedClient(maxQueuedBytes: 10)
        let (_, _, gate) = try client.handler.open(header: CallHeader(method: "/test.v1.T/M"), shape: .clientStreaming, timeout: nil)
        guard case .granted = gate.reserve(bytes: 10) else { Issue.record("first write waited"); return }
        guard case .wait = gate.reserve(bytes: 1) else { Issue.record("budget not enforced"); return }
    }
}
