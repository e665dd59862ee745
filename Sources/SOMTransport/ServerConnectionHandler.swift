import Logging
import NIOConcurrencyHelpers
import NIOCore
import SOMCodec
import SOMRPC

/// Asks a connection to stop taking calls and close once its calls are done.
struct GoAwayEvent: Sendable {
    let reason: String
}

/// Closes a connection at once with a GOAWAY: the server evicts it to admit a newer one.
struct EvictEvent: Sendable {
    let reason: String
}

/// Runs the protocol of one server connection on its event loop: preface, settings, frames,
/// streams, credit, deadlines; each call's handler runs as its own task.
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case awaitingPreface
        case open
        /// GOAWAY sent: no new calls; close when the last stream ends.
        case draining
        case closed
    }

    private let router: Router
    private let configuration: ServerConfiguration
    private let peer: PeerCredentials
    private let logger: Logger
    private var state: State = .awaitingPreface
    private var buffer = ByteBuffer()
    private var decoder: FrameDecoder
    private var streams: [UInt32: ServerStream] = [:]
    private var highestStreamID: UInt32 = 0
    /// Credit the client gives each new stream for our responses (from its SETTINGS).
    private var peerInitialCredit = 64
    /// Largest frame the client accepts (from its SETTINGS).
    private var peerMaxFrameSize = 4 << 20
    /// Set while the handler is in a pipeline. NIO's context holds the handler strongly, so it is
    /// cleared in `handlerRemoved`; otherwise every closed connection would leak its handler,
    /// pipeline and buffers. Late hops (a task finishing after the close) find it nil and stop.
    private var context: ChannelHandlerContext!
    /// The connection's event loop, kept after removal for failing late sends.
    private var eventLoop: (any EventLoop)!
    private var needsFlush = false
    private var flushScheduled = false
    /// True once the client's preface and SETTINGS are in.
    private var handshakeDone = false
    /// Closes the connection if the handshake takes longer than `configuration.handshakeTimeout`.
    private var handshakeTimer: Scheduled<Void>?
    /// Response bytes queued on this connection and whether its channel is writable.
    let budget: OutboundBudget

    /// Counts each call started (the server's Stats).
    private let onCall: @Sendable () -> Void
    /// Tells the server the handshake is done (the connection may no longer be evicted).
    private let onHandshake: @Sendable () -> Void

    init(
        router: Router, configuration: ServerConfiguration, peer: PeerCredentials, logger: Logger,
        budget: OutboundBudget? = nil,
        onCall: @escaping @Sendable () -> Void = {}, onHandshake: @escaping @Sendable () -> Void = {}
    ) {
        self.onCall = onCall
        self.onHandshake = onHandshake
        self.budget = budget ?? OutboundBudget(limit: configuration.maxQueuedResponseBytes)
        self.router = router
        self.configuration = configuration
        self.peer = peer
        self.logger = logger
        self.decoder = FrameDecoder(maxFrameSize: configuration.limits.maxFrameSize)
    }

    // MARK: channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.eventLoop = context.eventLoop
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        // The server speaks first, so even a client with the wrong version can read our GOAWAY.
        var out = context.channel.allocator.buffer(capacity: 64)
        out.writeBytes(Preface.bytes)
        FrameEncoder.encode(.settings(configuration.limits, agent: configuration.agent), into: &out)
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let timeout = configuration.handshakeTimeout
        handshakeTimer = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let this = handler.value
            guard !this.handshakeDone else { return }
            this.closeAtOnce(code: .deadlineExceeded, reason: "no preface and SETTINGS within \(timeout) of connecting")
        }
        context.fireChannelActive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        let writable = context.channel.isWritable
        budget.setWritable(writable)
        if writable {
            // Streams that stopped at the high water mark continue, in stream order.
            for id in streams.keys.sorted() {
                if let stream = streams[id] { drainPendingSends(stream, flushNow: false) }
            }
            flushIfNeeded()
        }
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        do {
            if state == .awaitingPreface {
                guard try Preface.read(from: &buffer) != nil else { return }
                state = .open
            }
            while state != .closed, let frame = try decoder.next(from: &buffer) {
                try handle(frame)
            }
            buffer.discardReadBytes()
        } catch {
            connectionError(error)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        handshakeTimer?.cancel()
        let closed = RPCError(.unavailable, "connection closed")
        for stream in streams.values { stream.tearDown(closed) }
        streams.removeAll()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let goAway = event as? GoAwayEvent {
            beginDraining(code: .unavailable, reason: goAway.reason)
        } else if let evict = event as? EvictEvent {
            closeAtOnce(code: .resourceExhausted, reason: evict.reason)
        } else if event is IdleStateHandler.IdleStateEvent {
            if streams.isEmpty {
                logger.debug("closing idle connection", metadata: ["peer": "\(peer)"])
                beginDraining(code: .ok, reason: "idle timeout")
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)", "peer": "\(peer)"])
        context.close(promise: nil)
    }

    // MARK: frames

    private func handle(_ frame: Frame) throws(FrameError) {
        if frame.type.isConnectionLevel {
            guard frame.streamID == 0 else { throw .wrongStream(type: frame.type, streamID: frame.streamID) }
        } else if frame.streamID == 0 {
            throw .wrongStream(type: frame.type, streamID: 0)
        }
        switch frame.type {
        case .settings:
            let settings = try frame.decodePayload(as: ConnectionSettings.self)
            if settings.initialStreamCredit > 0 {
                // Capped: the credit is how far a handler may run ahead of a client that does not read.
                peerInitialCredit = min(Int(settings.initialStreamCredit), ConnectionLimits.maxInitialStreamCredit)
            }
            if settings.maxFrameSize > 0 {
                guard settings.maxFrameSize >= ConnectionLimits.minFrameSize else {
                    throw .protocolViolation("max_frame_size \(settings.maxFrameSize) is below the minimum \(ConnectionLimits.minFrameSize)")
                }
                peerMaxFrameSize = Int(settings.maxFrameSize)
            }
            if !handshakeDone {
                handshakeDone = true
                handshakeTimer?.cancel()
                onHandshake()
            }
        case .ping:
            let data = try frame.decodePing()
            if !frame.flags.contains(.ack) { write(.ping(data, ack: true)) }
        case .goAway:
            beginDraining(code: .ok, reason: "client is going away")
        case .headers:
            try openStream(frame)
        case .message, .end, .cancel, .credit:
            guard let stream = streams[frame.streamID] else {
                // Frames racing a stream's end are expected; a stream never opened is a broken client.
                guard frame.streamID <= highestStreamID else {
                    throw .protocolViolation("\(frame.type) frame for stream \(frame.streamID), which was never opened")
                }
                return
            }
            try handle(frame, on: stream)
        case .status:
            throw .protocolViolation("clients do not send STATUS frames")
        }
    }

    private func handle(_ frame: Frame, on stream: ServerStream) throws(FrameError) {
        do {
            switch frame.type {
            case .message:
                let endStream = frame.flags.contains(.endStream)
                try stream.machine.receiveMessage(endStream: endStream)
                if let inline = stream.inline {
                    runInline(inline.handler, inline.context, request: Array(frame.payload.readableBytesView), on: stream)
                    return
                }
                stream.inbound.yield(Array(frame.payload.readableBytesView))
                if endStream { stream.inbound.finish() }
            case .end:
                try stream.machine.receiveEnd()
                if stream.inline != nil {
                    endStream(stream, status: RPCStatus(code: .invalidArgument, message: "the call ended without its request message"))
                    return
                }
                stream.inbound.finish()
            case .cancel:
                stream.tearDown(RPCError(.cancelled, "cancelled by the client"))
                streams[stream.id] = nil
                closeIfDrained()
            case .credit:
                let grant = Int(try frame.decodeCredit())
                try stream.machine.receiveCredit(grant)
                stream.gate?.add(grant)
                drainPendingSends(stream)
            default:
                break
            }
        } catch let violation as StreamViolation {
            endStream(stream, status: violation.status)
        } catch let error as FrameError {
            throw error
        } catch {
            endStream(stream, status: RPCStatus(code: .internal, message: "\(error)"))
        }
    }

    private func openStream(_ frame: Frame) throws(FrameError) {
        let id = frame.streamID
        guard id % 2 == 1 else {
            throw .protocolViolation("HEADERS on stream \(id): clients open odd-numbered streams")
        }
        guard id > highestStreamID else {
            throw .protocolViolation("HEADERS reuses stream id \(id) (highest so far \(highestStreamID))")
        }
        highestStreamID = id
        guard state == .open else {
            return writeStatus(streamID: id, RPCStatus(code: .unavailable, message: "server is shutting down; retry on a new connection"))
        }
        guard frame.payload.readableBytes <= configuration.limits.maxHeaderSize else {
            return writeStatus(streamID: id, RPCStatus(
                code: .resourceExhausted,
                message: "call header of \(frame.payload.readableBytes) bytes exceeds \(configuration.limits.maxHeaderSize)"))
        }
        let header: CallHeader
        do { header = try frame.decodePayload(as: CallHeader.self) } catch {
            return writeStatus(streamID: id, RPCStatus(code: .invalidArgument, message: "\(error)"))
        }
        guard streams.count < configuration.limits.maxConcurrentStreams else {
            return writeStatus(streamID: id, RPCStatus(
                code: .resourceExhausted, message: "too many concurrent calls on this connection (limit \(configuration.limits.maxConcurrentStreams))"))
        }
        guard let route = router.route(for: header.method) else {
            return writeStatus(streamID: id, RPCStatus(code: .unimplemented, message: "unknown method \(header.method)"))
        }
        if let authorize = configuration.authorize, let refusal = authorize(peer, route.descriptor) {
            logger.notice("permission denied", metadata: ["peer": "\(peer)", "method": "\(header.method)"])
            return writeStatus(streamID: id, RPCStatus(code: .permissionDenied, message: refusal))
        }
        startCall(id: id, header: header, route: route)
    }

    // MARK: calls

    /// Answers an inline unary call right here, on the event loop.
    private func runInline(_ handler: Router.InlineUnaryHandler, _ context: ServerContext, request: [UInt8], on stream: ServerStream) {
        let status: RPCStatus
        do {
            let response = try handler(request, context)
            status = sendHeld(response, on: stream) ?? .ok
        } catch {
            status = RPCStatus(handlerError: error)
            if status.code == .internal {
                logger.error("call failed", metadata: ["method": "\(context.method.path)", "error": "\(error)"])
            }
        }
        endStream(stream, status: status)
    }

    private func startCall(id: UInt32, header: CallHeader, route: Router.Route) {
        onCall()
        let (inbound, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let machine = StreamStateMachine(
            shape: route.descriptor.shape, role: .server,
            inboundWindow: configuration.limits.initialStreamCredit, outboundWindow: peerInitialCredit)
        let stream = ServerStream(id: id, machine: machine, inbound: continuation, budget: budget)
        streams[id] = stream

        var deadline: ContinuousClock.Instant?
        if header.timeoutUs > 0 {
            let timeout = Duration.microseconds(Int64(clamping: header.timeoutUs))
            deadline = .now + timeout
            // The timer fires on this loop; the loop-bound boxes say so to the compiler.
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundStream = NIOLoopBound(stream, eventLoop: context.eventLoop)
            stream.deadlineTimer = context.eventLoop.scheduleTask(in: .microseconds(Int64(clamping: header.timeoutUs))) {
                let this = handler.value, stream = boundStream.value
                guard let live = this.streams[id], live === stream else { return }
                this.endStream(stream, status: RPCStatus(code: .deadlineExceeded, message: "deadline of \(timeout) exceeded"))
                this.flushIfNeeded()
            }
        }
        var metadata: [String: String] = [:]
        for entry in header.metadata { metadata[entry.key] = entry.value }
        let callContext = ServerContext(method: route.descriptor, peer: peer, metadata: metadata, deadline: deadline)

        if let inline = route.inline {
            stream.inline = (inline, callContext)
            return
        }

        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        // One request message needs no credit back; only streaming requests return it as they are taken.
        let singleRequest = route.descriptor.shape == .unary || route.descriptor.shape == .serverStreaming
        let consumption = ConsumptionBatcher(window: configuration.limits.initialStreamCredit)
        let requests = RequestStream(inbound) {
            guard !singleRequest, let count = consumption.take() else { return }
            loop.execute { bound.value.consumed(streamID: id, count: count) }
        }
        // A call with one response (unary, client-streaming) keeps it until the handler returns and
        // sends it together with the status: one hop to the loop and one write instead of two.
        let single = route.descriptor.shape == .unary || route.descriptor.shape == .clientStreaming
        let gate = OutboundGate(credit: peerInitialCredit, budget: budget)
        stream.gate = gate
        let held = NIOLockedValueBox<[UInt8]?>(nil)
        let responses = single
            ? ResponseWriter { bytes in
                let first = held.withLockedValue { value -> Bool in
                    guard value == nil else { return false }
                    value = bytes
                    return true
                }
                if !first { throw RPCError(.internal, "a \(route.descriptor.shape) call answers with one message") }
            }
            : ResponseWriter { [gate] bytes in
                switch gate.reserve(bytes: bytes.count) {
                case .granted:
                    // Credit left: the loop writes it in order; no need to wait for the hop.
                    loop.execute { bound.value.sendReserved(bytes, streamID: id) }
                case .wait:
                    try await loop.flatSubmit { bound.value.send(bytes, streamID: id) }.get()
                case .closed(let error):
                    throw error
                }
            }
        let handler = route.handler
        let logger = self.logger
        let boundStream = NIOLoopBound(stream, eventLoop: loop)
        stream.task = Task {
            let status: RPCStatus
            do {
                try await handler.handle(requests: requests, responses: responses, context: callContext)
                status = .ok
            } catch {
                status = RPCStatus(handlerError: error)
                if status.code == .internal {
                    logger.error("call failed", metadata: ["method": "\(header.method)", "error": "\(error)"])
                }
            }
            let response = status.code == .ok ? held.withLockedValue { $0 } : nil
            loop.execute { bound.value.callFinished(streamID: id, stream: boundStream.value, response: response, status: status) }
        }
    }

    /// The handler took a message; the state machine decides when credit goes back.
    private func consumed(streamID: UInt32, count: Int) {
        guard let stream = streams[streamID] else { return }
        guard let granted = stream.machine.consumeInbound(count, window: configuration.limits.initialStreamCredit) else { return }
        write(.credit(streamID: streamID, UInt32(granted)))
        flushIfNeeded()
    }

    private func send(_ bytes: [UInt8], streamID: UInt32) -> EventLoopFuture<Void> {
        guard let stream = streams[streamID] else {
            return eventLoop.makeFailedFuture(RPCError(.cancelled, "the call has ended"))
        }
        guard bytes.count <= peerMaxFrameSize else {
            return eventLoop.makeFailedFuture(
                RPCError(.resourceExhausted, "response of \(bytes.count) bytes exceeds the client's maximum frame size \(peerMaxFrameSize)"))
        }
        let promise = context.eventLoop.makePromise(of: Void.self)
        budget.add(bytes.count)
        stream.outbox.append(bytes, promise: promise)
        drainPendingSends(stream)
        return promise.futureResult
    }

    /// A write the handler task already counted against the gate's credit: nobody waits for it.
    private func sendReserved(_ bytes: [UInt8], streamID: UInt32) {
        guard let stream = streams[streamID] else { return budget.release(bytes.count) }
        guard bytes.count <= peerMaxFrameSize else {
            budget.release(bytes.count)
            endStream(stream, status: RPCStatus(
                code: .resourceExhausted, message: "response of \(bytes.count) bytes exceeds the client's maximum frame size \(peerMaxFrameSize)"))
            flushIfNeeded()
            return
        }
        stream.outbox.append(bytes, promise: nil)
        drainPendingSends(stream, flushNow: false)
    }

    private func drainPendingSends(_ stream: ServerStream, flushNow: Bool = true) {
        let channel = context.channel
        let wrote = stream.outbox.drain(
            streamID: stream.id, machine: &stream.machine, allocator: channel.allocator,
            canWrite: { channel.isWritable }, removed: budget.release,
            refusal: { RPCError(.internal, "\($0)", cause: $0) },
            write: { context.write(wrapOutboundOut($0), promise: nil) })
        if wrote { needsFlush = true }
        if flushNow { flushIfNeeded() } else { scheduleFlush() }
    }

    /// Flushes once the writes already queued on the loop have run, so a burst of streamed
    /// messages leaves in one `write` instead of one each.
    private func scheduleFlush() {
        guard needsFlush, !flushScheduled, context != nil else { return }
        flushScheduled = true
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.execute {
            bound.value.flushScheduled = false
            bound.value.flushIfNeeded()
        }
    }

    private func callFinished(streamID: UInt32, stream: ServerStream, response: [UInt8]?, status: RPCStatus) {
        // Gone already when the client cancelled or the deadline struck; it got its answer then.
        guard let live = streams[streamID], live === stream else { return }
        endStream(stream, status: sendHeld(response, on: stream) ?? status)
        flushIfNeeded()
    }

    /// Writes a single-response call's message; returns the status to end with instead, if it cannot.
    private func sendHeld(_ response: [UInt8]?, on stream: ServerStream) -> RPCStatus? {
        guard let response else { return nil }
        guard response.count <= peerMaxFrameSize else {
            return RPCStatus(code: .resourceExhausted, message: "response of \(response.count) bytes exceeds the client's maximum frame size \(peerMaxFrameSize)")
        }
        do {
            // Every client grants at least one message of credit per stream, which is all one response needs.
            guard try stream.machine.requestSend() == .granted else {
                return RPCStatus(code: .internal, message: "the client granted no credit for the response")
            }
        } catch {
            return RPCStatus(code: .internal, message: "\(error)")
        }
        var out = context.channel.allocator.buffer(capacity: Frame.headerSize + response.count)
        FrameEncoder.encode(type: .message, streamID: stream.id, payload: response, into: &out)
        context.write(wrapOutboundOut(out), promise: nil)
        needsFlush = true
        return nil
    }

    private func endStream(_ stream: ServerStream, status: RPCStatus) {
        streams[stream.id] = nil
        stream.machine.closeOutbound()
        stream.tearDown(RPCError(status: status))
        writeStatus(streamID: stream.id, status)
        closeIfDrained()
    }

    // MARK: connection

    private func beginDraining(code: RPCStatus.Code, reason: String) {
        guard state == .open || state == .awaitingPreface else { return }
        state = .draining
        writeGoAway(code: code, reason: reason)
        flushIfNeeded()
        closeIfDrained()
    }

    private func closeIfDrained() {
        guard state == .draining, streams.isEmpty else { return }
        state = .closed
        flushIfNeeded()
        context.close(promise: nil)
    }

    private func connectionError(_ error: FrameError) {
        guard state != .closed else { return }
        logger.info("closing connection after a protocol error", metadata: ["error": "\(error)", "peer": "\(peer)"])
        let code: RPCStatus.Code
        switch error {
        case .tooLarge: code = .resourceExhausted
        case .unsupportedVersion: code = .unimplemented
        default: code = .invalidArgument
        }
        closeAtOnce(code: code, reason: error.description)
    }

    /// Sends GOAWAY and closes without waiting for calls: they are cancelled, without STATUS.
    private func closeAtOnce(code: RPCStatus.Code, reason: String) {
        guard state != .closed, context != nil else { return }
        writeGoAway(code: code, reason: reason)
        state = .closed
        handshakeTimer?.cancel()
        let closed = RPCError(.unavailable, "connection closed: \(reason)")
        for stream in streams.values { stream.tearDown(closed) }
        streams.removeAll()
        flushIfNeeded()
        context.close(promise: nil)
    }

    /// A STATUS, cut to the client's maximum frame size.
    private func writeStatus(streamID: UInt32, _ status: RPCStatus) {
        write(.status(streamID: streamID, status, fitting: peerMaxFrameSize))
    }

    /// A GOAWAY, cut to the client's maximum frame size.
    private func writeGoAway(code: RPCStatus.Code, reason: String) {
        write(.goAway(lastStreamID: highestStreamID, code: code, reason: reason, fitting: peerMaxFrameSize))
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
