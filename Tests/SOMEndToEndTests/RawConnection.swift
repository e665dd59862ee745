import NIOCore
import NIOPosix
import SOMCodec
import SOMRPC
import SOMTestSupport

/// A byte-level client for malformed-input tests: sends exactly what the test says, reads frames back.
final class RawConnection: Sendable {
    private let channel: any Channel
    private let received: LockedBox<ByteBuffer>
    private let closed: LockedBox<Bool>

    /// Connects; with `reading` false the connection never reads, like a stuck client (the
    /// kernel's socket buffer fills and the server must stop writing).
    init(socketPath: String, reading: Bool = true) async throws {
        let received = LockedBox(ByteBuffer())
        let closed = LockedBox(false)
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.autoRead, value: reading)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received, closed: closed))
                }
            }
            .connect(unixDomainSocketPath: socketPath).get()
        self.received = received
        self.closed = closed
    }

    /// Sends our preface and SETTINGS and consumes the server's.
    func handshake() async throws {
        try await sendBytes(Preface.bytes)
        try await send(.settings(ConnectionLimits(), agent: "raw"))
        _ = try await nextFrame { $0.type == .settings }
    }

    /// `handshake()`, then a PING round trip: its answer shows the server has read our SETTINGS
    /// (frames are handled in order), so the connection counts as handshaken there.
    func confirmedHandshake() async throws {
        try await handshake()
        try await send(.ping(0x50_49_4E_47))
        _ = try await nextFrame { $0.type == .ping && $0.flags.contains(.ack) }
    }

    /// Sends our preface and a SETTINGS frame with exactly these values (0 = not set), without waiting.
    func sendPrefaceAndSettings(_ settings: ConnectionSettings) async throws {
        try await sendBytes(Preface.bytes)
        try await send(Frame(type: .settings, streamID: 0, payload: ByteBuffer(bytes: settings.encoded())))
    }

    func sendBytes(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    func send(_ frame: Frame) async throws {
        var buffer = ByteBuffer()
        FrameEncoder.encode(frame, into: &buffer)
        try await channel.writeAndFlush(buffer)
    }

    /// The next frame matching `predicate` (skipping the server preface), within `timeout` (generous:
    /// a loaded machine stalls for seconds; only a frame that never comes waits it out).
    func nextFrame(within timeout: Duration = .seconds(10), _ predicate: (Frame) -> Bool = { _ in true }) async throws -> Frame {
        var decoder = FrameDecoder(maxFrameSize: 16 << 20)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let frame = try received.withValue { buffer -> Frame? in
                if buffer.readableBytes >= Preface.size, buffer.getBytes(at: buffer.readerIndex, length: 6) == Preface.magic {
                    buffer.moveReaderIndex(forwardBy: Preface.size)
                }
                while let frame = try decoder.next(from: &buffer) {
                    if predicate(frame) { return frame }
                }
                return nil
            }
            if let frame { return frame }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw RPCError(.deadlineExceeded, "no matching frame within \(timeout)")
    }

    /// True once the server closed the connection.
    var isClosed: Bool { closed.value }

    func close() async throws {
        try? await channel.close()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: LockedBox<ByteBuffer>
        let closed: LockedBox<Bool>
        init(received: LockedBox<ByteBuffer>, closed: LockedBox<Bool>) {
            self.received = received
            self.closed = closed
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var bytes = unwrapInboundIn(data)
            _ = received.withValue { $0.writeBuffer(&bytes) }
        }
        func channelInactive(context: ChannelHandlerContext) {
            closed.value = true
        }
    }
}
