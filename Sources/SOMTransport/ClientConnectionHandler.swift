import NIOCore
import SOMCodec
import SOMRPC

/// One call as the client connection sees it. Lives on the event loop.
final class ClientStream {
    let id: UInt32
    var machine: StreamStateMachine
    let responses: AsyncThrowingStream<[UInt8], any Error>.Continuation
    var outbox = Outbox()
    /// The sending task's view of the credit (see `OutboundGate`).
    let gate: OutboundGate
    var deadlineTimer: Scheduled<Void>?

    init(id: UInt32, machine: StreamStateMachine, responses: AsyncThrowingStream<[UInt8], any Error>.Continuation) {
        self.id = id
        self.machine = machine
        self.responses = responses
        self.gate = OutboundGate(credit: machine.outboundCredit)
    }

    func fail(_ error: any Error) {
        deadlineTimer?.cancel()
        gate.close(error)
        responses.finish(throwing: error)
        outbox.failAll(error)
    }
}

/// The client half of the protocol on one connection: opens streams, sends with credit,
/// delivers responses, turns STATUS into the end of the response stream.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limits: ConnectionLimits
    private var buffer = ByteBuffer()
    private var decoder: FrameDecoder
    private var prefaceReceived = false
    private var streams: [UInt32: ClientStream] = [:]
    private var nextStreamID: UInt32 = 1
    private var peerInitialCredit = 64
    private var peerMaxFrameSize = 4 << 20
    /// Set once the server said GOAWAY or the connection failed: no new calls here.
    private(set) var closedReason: RPCError?
    /// Set while the handler is in a pipeline. NIO's context holds the handler strongly, so it is
    /// cleared in `handlerRemoved`; otherwise every closed connection would leak its handler,
    /// pipeline and buffers. Late hops (a task finishing after the close) find it nil and stop.
    private var context: ChannelHandlerContext!
    /// The connection's event loop, kept after removal for failing late sends.
    private var eventLoop: (any EventLoop)!
    private var needsFlush = false

    init(limits: ConnectionLimits) {
        self.limits = limits
        self.decoder = FrameDecoder(maxFrameSize: limits.maxFrameSize)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.eventLoop = context.eventLoop
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        var out = context.channel.allocator.buffer(capacity: 64)
        out.writeBytes(Preface.bytes)
        FrameEncoder.encode(.settings(limits, agent: "som-client"), into: &out)
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            if !prefaceReceived {
                guard try Preface.read(from: &buffer) != nil else { return }
                prefaceReceived = true
            }
            while let frame = try decoder.next(from: &buffer) { try handle(frame) }
            buffer.discardReadBytes()
        } catch {
            shutDown(RPCError(.unavailable, "protocol error from the server: \(error)"), closeChannel: true)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
    }

    func channelInactive(context: ChannelHandlerContext) {
        shutDown(closedReason ?? RPCError(.unavailable, "connection to the server closed"), closeChannel: false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shutDown(RPCError(.unavailable, "connection error: \(error)"), closeChannel: true)
    }

    // MARK: calls (entered through `flatSubmit` from RPCClient)

    /// Opens a stream; with `firstMessage`, sends it in the same flush as the header (a unary call
    /// is then one write), ending the request side when `endStream`.
    func open(
        header: CallHeader, shape: CallShape, timeout: Duration?, firstMessage: [UInt8]? = nil, endStream: Bool = false
    ) throws(RPCError) -> (UInt32, AsyncThrowingStream<[UInt8], any Error>, OutboundGate) {
        if let closedReason { throw closedReason }
        guard context != nil, context.channel.isActive else { throw RPCError(.unavailable, "connection to the server closed") }
        if let firstMessage, firstMessage.count > peerMaxFrameSize {
            throw RPCError(.resourceExhausted, "message of \(firstMessage.count) bytes exceeds the server's maximum frame size \(peerMaxFrameSize)")
        }
        let id = nextStreamID
        nextStreamID += 2
        let (responses, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let stream = ClientStream(
            id: id,
            machine: StreamStateMachine(shape: shape, role: .client, inboundWindow: limits.initialStreamCredit, outboundWindow: peerInitialCredit),
            responses: continuation)
        streams[id] = stream
        if let timeout {
            // The timer fires on this loop; the loop-bound boxes say so to the compiler.
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundStream = NIOLoopBound(stream, eventLoop: context.eventLoop)
            stream.deadlineTimer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)) {
                let this = handler.value, stream = boundStream.value
                guard this.streams[id] === stream else { return }
                // The server enforces the deadline too; cancelling stops its work at once.
                this.write(Frame(type: .cancel, streamID: id))
                this.finish(stream, RPCError(.deadlineExceeded, "deadline of \(timeout) exceeded"))
                this.flushIfNeeded()
            }
        }
        write(.headers(streamID: id, header))
        if let firstMessage {
            let promise = context.eventLoop.makePromise(of: Void.self)
            _ = stream.gate.reserve()  // the gate counts every message, this one too
            stream.outbox.append(firstMessage, endStream: endStream, promise: promise)
            // Nobody awaits this send; a failure ends the stream with its status instead.
            promise.futureResult.whenFailure { _ in }
            drainPendingSends(stream)
        }
        flushIfNeeded()
        return (id, responses, stream.gate)
    }

    /// A message the sending task already counted against the gate: nobody waits for it.
    func sendReserved(_ bytes: [UInt8], streamID: UInt32) {
        guard let stream = streams[streamID] else { return }
        guard bytes.count <= peerMaxFrameSize else {
            write(Frame(type: .cancel, streamID: streamID))
            finish(stream, RPCError(.resourceExhausted, "message of \(bytes.count) bytes exceeds the server's maximum frame size \(peerMaxFrameSize)"))
            flushIfNeeded()
            return
        }
        stream.outbox.append(bytes, promise: nil)
        drainPendingSends(stream)
    }

    func send(_ bytes: [UInt8], streamID: UInt32, endStream: Bool) -> EventLoopFuture<Void> {
        guard let stream = streams[streamID] else {
            return eventLoop.makeFailedFuture(RPCError(.cancelled, "the call has ended"))
        }
        guard bytes.count <= peerMaxFrameSize else {
            return eventLoop.makeFailedFuture(
                RPCError(.resourceExhausted, "message of \(bytes.count) bytes exceeds the server's maximum frame size \(peerMaxFrameSize)"))
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        stream.outbox.append(bytes, endStream: endStream, promise: promise)
        drainPendingSends(stream)
        return promise.futureResult
    }

    func finishSending(streamID: UInt32) {
        guard let stream = streams[streamID], stream.machine.outboundOpen else { return }
        if stream.outbox.isEmpty {
            stream.machine.closeOutbound()
            write(Frame(type: .end, streamID: streamID))
            flushIfNeeded()
        } else {
            // END must follow the queued messages; mark the last one instead.
            stream.outbox.endWithLast()
        }
    }

    func cancel(streamID: UInt32) {
        guard let stream = streams[streamID] else { return }
        write(Frame(type: .cancel, streamID: streamID))
        finish(stream, RPCError(.cancelled, "cancelled by the client"))
        flushIfNeeded()
    }

    func consumed(streamID: UInt32, count: Int) {
        guard let stream = streams[streamID] else { return }
        guard let granted = stream.machine.consumeInbound(count, window: limits.initialStreamCredit) else { return }
        write(.credit(streamID: streamID, UInt32(granted)))
        flushIfNeeded()
    }

    func ping(_ data: UInt64) {
        write(.ping(data))
        flushIfNeeded()
    }

    // MARK: frames

    private func handle(_ frame: Frame) throws {
        switch frame.type {
        case .settings:
            let settings = try frame.decodePayload(as: ConnectionSettings.self)
            if settings.initialStreamCredit > 0 { peerInitialCredit = min(Int(settings.initialStreamCredit), ConnectionLimits.maxInitialStreamCredit) }
            if settings.maxFrameSize > 0 { peerMaxFrameSize = Int(settings.maxFrameSize) }
        case .ping:
            let data = try frame.decodePing()
            if !frame.flags.contains(.ack) { write(.ping(data, ack: true)) }
        case .goAway:
            let away = try frame.decodePayload(as: GoAway.self)
            let code = RPCStatus.Code(wireValue: away.code)
            let reason = RPCError(code == .ok ? .unavailable : code, "server closed the connection: \(away.reason)")
            closedReason = reason
            // Streams above last_stream_id were never seen by the server and may be retried.
            for (id, stream) in streams where id > away.lastStreamID { finish(stream, reason) }
        case .message:
            guard let stream = streams[frame.streamID] else { return }
            do {
                try stream.machine.receiveMessage(endStream: frame.flags.contains(.endStream))
            } catch {
                write(Frame(type: .cancel, streamID: frame.streamID))
                finish(stream, RPCError(.internal, "server broke the stream rules: \(error)"))
                return
            }
            stream.responses.yield(Array(frame.payload.readableBytesView))
        case .status:
            guard let stream = streams[frame.streamID] else { return }
            let status = RPCStatus(try frame.decodePayload(as: CallStatus.self))
            if status.code == .ok {
                stream.deadlineTimer?.cancel()
                stream.responses.finish()
                streams[frame.streamID] = nil
                stream.gate.close(RPCError(.cancelled, "the call has ended"))
                stream.outbox.failAll(RPCError(.cancelled, "the call has ended"))
            } else {
                finish(stream, RPCError(status: status))
            }
        case .credit:
            guard let stream = streams[frame.streamID] else { return }
            let grant = Int(try frame.decodeCredit())
            try stream.machine.receiveCredit(grant)
            stream.gate.add(grant)
            drainPendingSends(stream)
        case .headers, .end, .cancel:
            throw FrameError.protocolViolation("servers do not send \(frame.type) frames")
        }
    }

    private func drainPendingSends(_ stream: ClientStream) {
        let wrote = stream.outbox.drain(
            streamID: stream.id, machine: &stream.machine, allocator: context.channel.allocator,
            refusal: { RPCError(.invalidArgument, "\($0)") },
            write: { context.write(wrapOutboundOut($0), promise: nil) })
        if wrote { needsFlush = true }
        flushIfNeeded()
    }

    private func finish(_ stream: ClientStream, _ error: RPCError) {
        streams[stream.id] = nil
        stream.fail(error)
    }

    private func shutDown(_ error: RPCError, closeChannel: Bool) {
        if closedReason == nil { closedReason = error }
        for stream in streams.values { stream.fail(error) }
        streams.removeAll()
        if closeChannel { context.close(promise: nil) }
    }

    private func write(_ frame: Frame) {
        guard context != nil else { return }
        var out = context.channel.allocator.buffer(capacity: Frame.headerSize + frame.payload.readableBytes)
        FrameEncoder.encode(frame, into: &out)
        context.write(wrapOutboundOut(out), promise: nil)
        needsFlush = true
    }

    private func flushIfNeeded() {
        guard needsFlush, context != nil else { return }
        needsFlush = false
        context.flush()
    }
}
