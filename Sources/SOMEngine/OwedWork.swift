import NIOConcurrencyHelpers
import SOMCodec
import SOMOrchestration
import SOMStore

/// Work a failed commit left undone, kept to do again once the store takes writes.
///
/// The events an order is stepped with are facts that nobody sends twice: a gateway's result, a
/// crew's report, an operator's release. When the commit that should take one in fails (disk
/// full, map full, an I/O error), dropping it would leave the order waiting for something that
/// already happened. Nothing of a failed transaction was kept, so stepping the same event again
/// later applies it exactly once. Orders a committed decision created but could not store are
/// kept the same way (their intake is idempotent by source request id).
///
/// Kept in memory only: after a crash the restart rebuilds the same work from the store (queued
/// and out-standing activities, RECEIVED orders), at least once.
final class OwedWork: Sendable {
    /// Steps and orders owed, and when to try them again.
    private struct State {
        var steps: [(orderID: String, event: OrchestratorEvent)] = []
        var orders: [Order] = []
        var retryAt: Timestamp?
        var delay: Duration
    }

    private let state: NIOLockedValueBox<State>
    /// The first wait after a failure; it doubles while failures go on.
    let firstDelay: Duration
    /// The longest wait between tries while the store keeps refusing writes.
    let longestDelay: Duration
    /// Past this many owed items, more are dropped (and logged): a restart recovers them.
    let capacity: Int

    init(firstDelay: Duration = .seconds(1), longestDelay: Duration = .seconds(30), capacity: Int = 1_000_000) {
        self.firstDelay = firstDelay
        self.longestDelay = longestDelay
        self.capacity = capacity
        self.state = NIOLockedValueBox(State(delay: firstDelay))
    }

    /// Whether `error` is one a later try may not meet (space comes back, an I/O error passes).
    static func isTransient(_ error: StoreError) -> Bool {
        switch error {
        case .storageFull, .storage: true
        default: false
        }
    }

    /// Keeps steps to try again; returns how many did not fit (dropped).
    func owe(_ steps: [(orderID: String, event: OrchestratorEvent)], now: Timestamp) -> Int {
        state.withLockedValue { state in
            let room = max(0, capacity - state.steps.count - state.orders.count)
            state.steps += steps.prefix(room)
            schedule(&state, now: now)
            return steps.count - min(room, steps.count)
        }
    }

    /// Keeps orders to create again; returns how many did not fit (dropped).
    func owe(_ orders: [Order], now: Timestamp) -> Int {
        state.withLockedValue { state in
            let room = max(0, capacity - state.steps.count - state.orders.count)
            state.orders += orders.prefix(room)
            schedule(&state, now: now)
            return orders.count - min(room, orders.count)
        }
    }

    /// Everything owed, when its time to try again has come (and forgets it: a failed try owes it anew).
    func takeDue(at now: Timestamp) -> (steps: [(orderID: String, event: OrchestratorEvent)], orders: [Order]) {
        state.withLockedValue { state in
            guard let retryAt = state.retryAt, retryAt <= now else { return ([], []) }
            defer {
                state.steps = []
                state.orders = []
                state.retryAt = nil
            }
            return (state.steps, state.orders)
        }
    }

    /// After a try: when nothing new is owed the store took the writes, so the next failure starts
    /// with a short wait again.
    func settle() {
        state.withLockedValue { state in
            if state.steps.isEmpty && state.orders.isEmpty { state.delay = firstDelay }
        }
    }

    /// How many steps and orders are owed.
    var count: Int { state.withLockedValue { $0.steps.count + $0.orders.count } }

    private func schedule(_ state: inout State, now: Timestamp) {
        guard state.retryAt == nil else { return }
        state.retryAt = now.adding(state.delay)
        state.delay = min(state.delay * 2, longestDelay)
    }
}
