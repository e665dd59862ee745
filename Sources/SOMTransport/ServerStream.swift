import NIOCore
import SOMRPC

/// One open call on a server connection. Lives on the connection's event loop.
final class ServerStream {
    let id: UInt32
    var machine: StreamStateMachine
    /// Feeds the handler's `RequestStream`.
    let inbound: AsyncThrowingStream<[UInt8], any Error>.Continuation
    /// The running handler.
    var task: Task<Void, Never>?
    /// Responses waiting for credit, with the promise their writer awaits.
    var outbox = Outbox()
    /// The handler task's view of the credit, for streaming responses.
    var gate: OutboundGate?
    var deadlineTimer: Scheduled<Void>?
    /// Set for a unary call the transport answers itself when its request arrives (no task).
    var inline: (handler: Router.InlineUnaryHandler, context: ServerContext)?

    /// The connection's count of queued response bytes, which the outbox's messages are part of.
    let budget: OutboundBudget

    init(id: UInt32, machine: StreamStateMachine, inbound: AsyncThrowingStream<[UInt8], any Error>.Continuation, budget: OutboundBudget) {
        self.budget = budget
        self.id = id
        self.machine = machine
        self.inbound = inbound
    }

    /// Ends everything the stream holds: the handler is cancelled, its waiters fail with `error`.
    func tearDown(_ error: any Error) {
        deadlineTimer?.cancel()
        inbound.finish(throwing: error)
        task?.cancel()
        gate?.close(error)
        outbox.failAll(error, removed: budget.release)
    }
}
