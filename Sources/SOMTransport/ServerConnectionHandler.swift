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

/// One server connection on its event loop: feeds the connection state machine, owns the
/// handshake timer, and runs each call's handler as its own task (or inline on the loop).
final class ServerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let router: Router
    private let configuration: ServerConfiguration
    private let peer: PeerCredentials
    private let logger: Logger
    let driver: ConnectionDriver
    /// Closes the connection if the handshake takes longer than `configuration.handshakeTimeout`.
    private var handshakeTimer: Scheduled<Void>?
    /// Counts each call started (the server's Stats).
    private let onCall: @Sendable () -> Void
    /// Tells the server the handshake is done (the connection may no longer be evicted).
    private let onHandshake: @Sendable () -> Void

    /// Response bytes queued on this connection and whether its channel is writable.
    var budget: OutboundBudget { driver.budget }

    init(
        router: Router, configuration: ServerConfiguration, peer: PeerCredentials, logger: Logger,
        budget: OutboundBudget? = nil,
        onCall: @escaping @Sendable () -> Void = {}, onHandshake: @escaping @Sendable () -> Void = {}
    ) {
        self.onCall = onCall
        self.onHandshake = onHandshake
        self.router = router
        self.configuration = configuration
        self.peer = peer
        self.logger = logger
        // The policy judges this connection's peer; the state machine calls it once per HEADERS.
        var authorize: (@Sendable (MethodDescriptor) -> String?)?
        if let policy = configuration.authorize { authorize = { method in policy(peer, method) } }
        driver = ConnectionDriver(
            machine: .server(limits: configuration.limits, agent: configuration.agent, router: router, authorize: authorize),
            budget: budget ?? OutboundBudget(limit: configuration.maxQueuedResponseBytes))
    }

    // MARK: channel events

    func handlerAdded(context: ChannelHandlerContext) { driver.attach(context) }

    func handlerRemoved(context: ChannelHandlerContext) { driver.detach() }

    func channelActive(context: ChannelHandlerContext) {
        // The server speaks first, so even a client with the wrong version can read our GOAWAY.
        driver.machine.start()
        driver.flush()
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let timeout = configuration.handshakeTimeout
        handshakeTimer = context.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let driver = bound.value.driver
            guard let error = driver.machine.handshakeTimedOut(after: timeout) else { return }
            driver.endAll(error)
            driver.flush()
        }
        context.fireChannelActive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        driver.writabilityChanged(context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        driver.read(&incoming) { event in handle(event) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        driver.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshakeTimer?.cancel()
        driver.machine.connectionClosed()
        driver.endAll(RPCError(.unavailable, "connection closed"))
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let goAway = event as? GoAwayEvent {
            driver.machine.beginDraining(code: .unavailable, reason: goAway.reason)
        } else if let evict = event as? EvictEvent {
            if let error = driver.machine.closeNow(code: .resourceExhausted, reason: evict.reason) { driver.endAll(error) }
        } else if event is IdleStateHandler.IdleStateEvent {
            driver.machine.idleTimeoutFired()
            if driver.machine.isClosed { logger.debug("closed idle connection", metadata: ["peer": "\(peer)"]) }
        } else {
            return context.fireUserInboundEventTriggered(event)
        }
        driver.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["error": "\(error)", "peer": "\(peer)"])
        context.close(promise: nil)
    }

    // MARK: events of the state machine

    private func handle(_ event: ConnectionEvent) {
        switch event {
        case .handshakeComplete:
            handshakeTimer?.cancel()
            onHandshake()
        case .callOpened(let id, let header, let route):
            startCall(id: id, header: header, route: route)
        case .callRefused(_, let status) where status.code == .permissionDenied:
            logger.notice("permission denied", metadata: ["peer": "\(peer)", "message": "\(status.message)"])
        case .message(let id, let payload, _):
            if let stream = driver.streams[id], let inline = stream.inline {
                runInline(inline.handler, inline.context, request: Array(payload.readableBytesView), on: stream)
            } else {
                driver.apply(event)
            }
        case .inboundEnded(let id):
            driver.streams[id]?.incoming.finish()
        case .connectionClosed(let error):
            logger.info("closing connection after a protocol error", metadata: ["error": "\(error)", "peer": "\(peer)"])
            handshakeTimer?.cancel()
            driver.apply(event)
        default:
            driver.apply(event)
        }
    }

    // MARK: calls

    /// Answers an inline unary call right here, on the event loop.
    private func runInline(_ handler: Router.InlineUnaryHandler, _ context: ServerContext, request: [UInt8], on stream: TransportStream) {
        do {
            let response = try handler(request, context)
            finish(stream, response: response, status: .ok)
        } catch {
            finish(stream, response: nil, status: callStatus(of: error, method: context.method.path, logger: logger))
        }
    }

    private func startCall(id: UInt32, header: CallHeader, route: Router.Route) {
        onCall()
        let (inbound, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let stream = TransportStream(id: id, credit: driver.machine.peerInitialCredit, incoming: continuation, budget: driver.budget)
        driver.streams[id] = stream

        var deadline: ContinuousClock.Instant?
        if header.timeoutUs > 0 {
            let timeout = Duration.microseconds(Int64(clamping: header.timeoutUs))
            deadline = .now + timeout
            driver.scheduleDeadline(stream, timeout: timeout)
        }
        var metadata: [String: String] = [:]
        for entry in header.metadata { metadata[entry.key] = entry.value }
        let callContext = ServerContext(method: route.descriptor, peer: peer, metadata: metadata, deadline: deadline)

        if let inline = route.inline {
            stream.inline = (inline, callContext)
            return
        }
        guard let loop = driver.eventLoop else { return }
        let bound = NIOLoopBound(self, eventLoop: loop)
        let shape = route.descriptor.shape
        let window = configuration.limits.initialStreamCredit
        // One request message needs no credit back; only streaming requests return it as they are taken.
        let consumption = shape.clientSendsOne ? nil : ConsumptionBatcher(window: window)
        let requests = RequestStream(inbound) {
            guard let count = consumption?.take() else { return }
            loop.execute { bound.value.driver.consumed(streamID: id, count: count) }
        }
        // A call with one response (unary, client-streaming) keeps it until the handler returns and
        // sends it together with the status: one hop to the loop and one write instead of two.
        let held = NIOLockedValueBox<[UInt8]?>(nil)
        let responses = shape.serverSendsOne
            ? ResponseWriter { bytes in
                let first = held.withLockedValue { value -> Bool in
                    guard value == nil else { return false }
                    value = bytes
                    return true
                }
                if !first { throw RPCError(.internal, "a \(shape) call answers with one message") }
            }
            : ResponseWriter { [gate = stream.gate] bytes in
                switch gate.enqueue(bytes) {
                case .queued(let scheduleDrain):
                    // Credit left: the loop writes it in order; no need to wait for the hop.
                    if scheduleDrain { loop.execute { bound.value.driver.sendQueued(streamID: id) } }
                case .wait:
                    let promise = loop.makePromise(of: Void.self)
                    loop.execute { bound.value.driver.send(bytes, streamID: id, promise: promise) }
                    try await promise.futureResult.get()
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
                status = callStatus(of: error, method: header.method, logger: logger)
            }
            let response = status.code == .ok ? held.withLockedValue { $0 } : nil
            loop.execute { bound.value.finish(boundStream.value, response: response, status: status) }
        }
    }

    /// The handler is done: its held response (if any) and the STATUS go out together.
    private func finish(_ stream: TransportStream, response: [UInt8]?, status: RPCStatus) {
        // Gone already when the client cancelled or the deadline struck; it got its answer then.
        guard driver.streams[stream.id] === stream else { return }
        driver.streams[stream.id] = nil
        driver.machine.finishCall(streamID: stream.id, response: response, status: status)
        stream.end(RPCError(status: status))
        driver.flushSoon()
    }
}

/// The status a handler's error ends its call with; unexpected errors are logged, never sent.
private func callStatus(of error: any Error, method: String, logger: Logger) -> RPCStatus {
    let status = RPCStatus(handlerError: error)
    if status.code == .internal {
        logger.error("call failed", metadata: ["method": "\(method)", "error": "\(error)"])
    }
    return status
}
