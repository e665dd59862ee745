import NIOCore
import SOMCodec
import SOMRPC

/// The client end of one connection on its event loop: feeds the connection state machine and
/// carries out its events; calls enter through `open`, `send` and friends (hops from RPCClient).
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let driver: ConnectionDriver

    /// - Parameter maxQueuedBytes: request bytes callers may hand over without waiting for the socket.
    init(limits: ConnectionLimits, maxQueuedBytes: Int = 256 << 10) {
        driver = ConnectionDriver(machine: .client(limits: limits), budget: OutboundBudget(limit: maxQueuedBytes))
    }

    func handlerAdded(context: ChannelHandlerContext) { driver.attach(context) }

    func handlerRemoved(context: ChannelHandlerContext) { driver.detach() }

    func channelActive(context: ChannelHandlerContext) {
        driver.machine.start()
        driver.flush()
        context.fireChannelActive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        driver.writabilityChanged(context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        driver.read(&incoming, driver.apply)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        driver.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        driver.machine.connectionClosed()
        driver.endAll(driver.machine.refusal ?? RPCError(.unavailable, "connection to the server closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        driver.machine.connectionClosed()
        driver.endAll(RPCError(.unavailable, "connection error: \(error)"))
        context.close(promise: nil)
    }

    // MARK: calls (entered on the event loop from RPCClient)

    /// Opens a stream; with `firstMessage`, sends it in the same write as the header (a unary call
    /// is then one write), ending the request side when `endStream`.
    func open(
        header: CallHeader, shape: CallShape, timeout: Duration?, firstMessage: [UInt8]? = nil, endStream: Bool = false
    ) throws(RPCError) -> (UInt32, AsyncThrowingStream<[UInt8], any Error>, OutboundGate) {
        guard driver.context?.channel.isActive == true else { throw RPCError(.unavailable, "connection to the server closed") }
        let id = try driver.machine.openStream(header, shape: shape, firstMessage: firstMessage, endStream: endStream)
        let (responses, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let stream = TransportStream(id: id, credit: driver.machine.peerInitialCredit, incoming: continuation, budget: driver.budget)
        if firstMessage != nil { _ = stream.gate.reserve() }  // the gate counts every message, this one too
        driver.streams[id] = stream
        if let timeout { driver.scheduleDeadline(stream, timeout: timeout) }
        driver.flushSoon()
        return (id, responses, stream.gate)
    }

    /// Queues a message; the caller waits on `promise` until it is written.
    func send(_ bytes: [UInt8], streamID: UInt32, endStream: Bool, promise: EventLoopPromise<Void>) {
        driver.send(bytes, endStream: endStream, streamID: streamID, promise: promise)
    }

    /// Sends what the caller queued in the stream's gate.
    func sendQueued(streamID: UInt32) {
        driver.sendQueued(streamID: streamID)
    }

    func finishSending(streamID: UInt32) {
        guard let stream = driver.streams[streamID] else { return }
        if stream.outbox.isEmpty {
            driver.machine.finishSending(streamID: streamID)
            driver.flushSoon()
        } else {
            // END must follow the queued messages; mark the last one instead.
            stream.outbox.endWithLast()
        }
    }

    func cancel(streamID: UInt32) {
        guard let stream = driver.streams[streamID] else { return }
        driver.end(stream, RPCError(.cancelled, "cancelled by the client"))
    }

    func consumed(streamID: UInt32, count: Int) {
        driver.consumed(streamID: streamID, count: count)
    }

    func ping(_ data: UInt64) {
        driver.machine.ping(data)
        driver.flushSoon()
    }
}
