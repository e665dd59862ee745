import NIOConcurrencyHelpers

/// The sending task's view of a stream's credit, so a write with credit left can be handed to the
/// event loop without waiting for the hop (the loop writes it in order); only a write that finds no
/// credit waits, on the loop's credit-checked path. The loop adds the peer's grants and closes the
/// gate when the stream ends. With a connection budget, a write also waits while the connection
/// is unwritable or has too many bytes queued, whatever the credit.
final class OutboundGate: Sendable {
    enum Reservation {
        /// Credit was left: send without waiting.
        case granted
        /// No credit left (the write is still counted): take the waiting path.
        case wait
        /// The stream has ended.
        case closed(any Error)
    }

    private struct State {
        var credit: Int
        var closed: (any Error)?
    }

    private let state: NIOLockedValueBox<State>
    private let budget: OutboundBudget?

    init(credit: Int, budget: OutboundBudget? = nil) {
        state = NIOLockedValueBox(State(credit: credit))
        self.budget = budget
    }

    /// Counts one write of `bytes` against the credit (and, when granted, the connection budget).
    func reserve(bytes: Int = 0) -> Reservation {
        state.withLockedValue { state in
            if let closed = state.closed { return .closed(closed) }
            state.credit -= 1
            guard state.credit >= 0 else { return .wait }
            return budget?.tryTake(bytes) ?? true ? .granted : .wait
        }
    }

    /// The peer granted `count` more messages.
    func add(_ count: Int) {
        state.withLockedValue { $0.credit += count }
    }

    /// The stream ended; later writes fail with `error`.
    func close(_ error: any Error) {
        state.withLockedValue { if $0.closed == nil { $0.closed = error } }
    }
}
