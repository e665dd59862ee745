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

    /// What `enqueue` did with a message.
    enum Admission {
        /// Queued for the loop; with `scheduleDrain` the caller hands `takeQueued` to the loop
        /// (the first message of a batch does, the rest ride along).
        case queued(scheduleDrain: Bool)
        /// No credit or no room: take the waiting path.
        case wait
        /// The stream has ended.
        case closed(any Error)
    }

    private struct State {
        var credit: Int
        var closed: (any Error)?
        /// Messages admitted but not yet taken by the loop, and their bytes (counted in the budget).
        var queued: [[UInt8]] = []
        var queuedBytes = 0
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

    /// Counts one message like `reserve` and, when granted, queues it for the loop: a burst of
    /// writes costs one hop to the loop, not one each.
    func enqueue(_ message: [UInt8]) -> Admission {
        state.withLockedValue { state in
            if let closed = state.closed { return .closed(closed) }
            state.credit -= 1
            guard state.credit >= 0, budget?.tryTake(message.count) ?? true else { return .wait }
            state.queued.append(message)
            state.queuedBytes += message.count
            return .queued(scheduleDrain: state.queued.count == 1)
        }
    }

    /// The messages queued since last taken, in order.
    func takeQueued() -> [[UInt8]] {
        state.withLockedValue { state in
            defer {
                state.queued = []
                state.queuedBytes = 0
            }
            return state.queued
        }
    }

    /// The peer granted `count` more messages.
    func add(_ count: Int) {
        state.withLockedValue { $0.credit += count }
    }

    /// The stream ended; later writes fail with `error`.
    func close(_ error: any Error) {
        let dropped = state.withLockedValue { state -> Int in
            if state.closed == nil { state.closed = error }
            defer {
                state.queued = []
                state.queuedBytes = 0
            }
            return state.queuedBytes
        }
        budget?.release(dropped)
    }
}
