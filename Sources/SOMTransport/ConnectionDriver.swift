import NIOCore
import SOMRPC

/// Carries out a connection state machine's output on one channel, for either side: writes the
/// machine's bytes (coalesced: one write and flush per read burst or event-loop tick), closes the
/// channel when the machine is closed, sends each stream's queued messages as credit and channel
/// writability allow, and runs the stream deadline timers. Lives on the channel's event loop.
final class ConnectionDriver {
    var machine: ConnectionStateMachine
    /// The open calls' local ends, by stream id (the machine holds their rules).
    var streams: [UInt32: TransportStream] = [:]
    /// Outbound bytes handed over by writers but not yet given to the machine, and writability.
    let budget: OutboundBudget
    /// Set while the handler is in a pipeline. NIO's context holds the handler strongly, so it is
    /// cleared on removal; otherwise every closed connection would leak its handler, pipeline and
    /// buffers. Late hops (a task finishing after the close) find it nil and stop.
    private(set) var context: ChannelHandlerContext?
    /// The connection's event loop, kept after removal for failing late sends.
    private(set) var eventLoop: (any EventLoop)?
    private var flushScheduled = false
    /// Between a read and its read-complete, which flushes anyway: no flush needs scheduling.
    private var reading = false
    private var closeIssued = false

    init(machine: ConnectionStateMachine, budget: OutboundBudget) {
        self.machine = machine
        self.budget = budget
    }

    func attach(_ context: ChannelHandlerContext) {
        self.context = context
        self.eventLoop = context.eventLoop
    }

    func detach() { context = nil }

    // MARK: output

    /// Writes what the machine has queued and flushes; closes the channel once the machine is closed.
    func flush() {
        reading = false
        guard let context else { return }
        if let bytes = machine.takeOutbound() { context.writeAndFlush(NIOAny(bytes), promise: nil) }
        if machine.isClosed, !closeIssued {
            closeIssued = true
            context.close(promise: nil)
        }
    }

    /// Flushes after the work already queued on the loop has run, so a burst of writes from many
    /// tasks (streamed messages, many callers' requests) leaves in one `write`.
    func flushSoon() {
        guard !flushScheduled, !reading, let eventLoop, context != nil else { return }
        flushScheduled = true
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.execute {
            bound.value.flushScheduled = false
            bound.value.flush()
        }
    }

    // MARK: input

    /// Reads what arrived, handing each event to `handle`; the caller must `flush()` at read-complete.
    func read(_ bytes: inout ByteBuffer, _ handle: (ConnectionEvent) -> Void) {
        reading = true
        machine.receive(&bytes)
        while let event = machine.nextEvent() { handle(event) }
    }

    /// The events both sides treat alike.
    func apply(_ event: ConnectionEvent) {
        switch event {
        case .message(let id, let payload, let endStream):
            guard let stream = streams[id] else { return }
            stream.incoming.yield(Array(payload.readableBytesView))
            if endStream { stream.incoming.finish() }
        case .creditGranted(let id, let count):
            guard let stream = streams[id] else { return }
            stream.gate.add(count)
            drain(stream)
        case .streamClosed(let id, let error):
            streams.removeValue(forKey: id)?.end(error)
        case .streamsRefused(let ids, let error):
            for id in ids { streams.removeValue(forKey: id)?.end(error) }
        case .connectionClosed(let error):
            endAll(error)
        case .handled, .handshakeComplete, .callOpened, .callRefused, .inboundEnded:
            break
        }
    }

    /// Every stream ends with `error` (the connection is over).
    func endAll(_ error: RPCError) {
        let all = streams.values
        streams.removeAll()
        for stream in all { stream.end(error) }
    }

    // MARK: streams

    /// Sends a stream's queued messages while credit and writability allow; a message nobody waits
    /// for that cannot be sent ends the stream (server: STATUS; client: CANCEL).
    func drain(_ stream: TransportStream) {
        let channel = context?.channel
        let refused = stream.outbox.drain(
            canWrite: { channel?.isWritable ?? false }, removed: budget.release,
            send: { machine.sendMessage(streamID: stream.id, $0, endStream: $1) })
        if let refused { end(stream, refused) }
        flushSoon()
    }

    /// Ends a stream from this side with `error`, telling the peer (the machine decides how).
    func end(_ stream: TransportStream, _ error: RPCError) {
        guard streams[stream.id] === stream else { return }
        streams[stream.id] = nil
        machine.endStream(streamID: stream.id, error: error)
        stream.end(error)
        flushSoon()
    }

    /// Queues a message for `streamID` whose writer waits on `promise` until it is written (the
    /// writer found no credit or no room; its bytes are counted here).
    func send(_ bytes: [UInt8], endStream: Bool = false, streamID: UInt32, promise: EventLoopPromise<Void>) {
        guard let stream = streams[streamID] else { return promise.fail(RPCError(.cancelled, "the call has ended")) }
        budget.add(bytes.count)
        stream.outbox.append(bytes, endStream: endStream, promise: promise)
        drain(stream)
    }

    /// Sends the messages the stream's writer queued in its gate (`OutboundGate.enqueue`).
    func sendQueued(streamID: UInt32) {
        guard let stream = streams[streamID] else { return }  // its gate is closed and released them
        for message in stream.gate.takeQueued() { stream.outbox.append(message, promise: nil) }
        drain(stream)
    }

    /// The channel's writability changed: streams that stopped at the high water mark continue, in stream order.
    func writabilityChanged(_ writable: Bool) {
        budget.setWritable(writable)
        guard writable else { return }
        for id in streams.keys.sorted() {
            if let stream = streams[id] { drain(stream) }
        }
    }

    /// The local reader took `count` messages of `streamID`; credit goes back when due.
    func consumed(streamID: UInt32, count: Int) {
        machine.consumed(streamID: streamID, count: count)
        flushSoon()
    }

    /// Ends the stream with DEADLINE_EXCEEDED after `timeout`, unless it ended before.
    func scheduleDeadline(_ stream: TransportStream, timeout: Duration) {
        guard let eventLoop else { return }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let boundStream = NIOLoopBound(stream, eventLoop: eventLoop)
        stream.deadlineTimer = eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            let this = bound.value, stream = boundStream.value
            guard this.streams[stream.id] === stream, let error = this.machine.deadlineExpired(streamID: stream.id, timeout: timeout) else { return }
            this.streams[stream.id] = nil
            stream.end(error)
            this.flushSoon()
        }
    }
}
