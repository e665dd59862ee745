import NIOCore
import SOMRPC

/// One open call as a connection handler sees it, client or server: where its incoming messages
/// go, its outgoing messages waiting for credit, its deadline timer. Lives on the event loop; the
/// rules of the stream live in the connection state machine.
final class TransportStream {
    let id: UInt32
    /// Feeds the local reader: the handler's requests (server) or the caller's responses (client).
    let incoming: AsyncThrowingStream<[UInt8], any Error>.Continuation
    /// Messages waiting for credit or writability, with the promise their writer awaits.
    var outbox = Outbox()
    /// The writing task's view of the credit.
    let gate: OutboundGate
    /// The connection's count of queued outbound bytes, which the outbox's messages are part of.
    let budget: OutboundBudget
    var deadlineTimer: Scheduled<Void>?
    /// Server: the running handler.
    var task: Task<Void, Never>?
    /// Server: a unary call the transport answers itself when its request arrives (no task).
    var inline: (handler: Router.InlineUnaryHandler, context: ServerContext)?

    init(id: UInt32, credit: Int, incoming: AsyncThrowingStream<[UInt8], any Error>.Continuation, budget: OutboundBudget) {
        self.id = id
        self.incoming = incoming
        self.budget = budget
        self.gate = OutboundGate(credit: credit, budget: budget)
    }

    /// Ends everything the stream holds. With nil (a client's OK STATUS) the reader sees the end of
    /// the messages; otherwise it gets `error`, the handler is cancelled and waiting writers fail.
    func end(_ error: RPCError?) {
        deadlineTimer?.cancel()
        if let error { incoming.finish(throwing: error) } else { incoming.finish() }
        task?.cancel()
        let closed = error ?? RPCError(.cancelled, "the call has ended")
        gate.close(closed)
        outbox.failAll(closed, removed: budget.release)
    }
}
