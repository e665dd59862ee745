import NIOConcurrencyHelpers

/// The sending task's view of a stream's credit, so a write with credit left can be handed to the
/// event loop without waiting for the hop (the loop writes it in order); only a write that finds no
/// credit waits, on the loop's credit-checked path. The loop adds the peer's grants and closes the
/// gate when the stream ends.
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

    init(credit: Int) { state = NIOLockedValueBox(State(credit: credit)) }

    /// Counts one write against the credit.
    func reserve() -> Reservation {
        state.withLockedValue { state in
            if let closed = state.closed { return .closed(closed) }
            state.credit -= 1
            return state.credit >= 0 ? .granted : .wait
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
