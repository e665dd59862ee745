import NIOConcurrencyHelpers

/// A number that only goes up, and a way to wait for it to move.
///
/// The store's event head is one: watchers read the log in short read transactions and park here
/// when they have caught up; the writer advances it after each commit and wakes them. The server
/// uses others to wake adapters' pulls when work is queued and the evaluation worker when orders
/// arrive. A waiter names the value it last saw, so a move between its check and its wait is not lost.
public final class Watermark: Sendable {
    private struct State {
        var head: UInt64
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waits whose timer or cancellation came before they parked.
        var woken: Set<Int> = []
    }

    private let state: NIOLockedValueBox<State>

    /// Starts at `value`.
    public init(_ value: UInt64 = 0) {
        state = NIOLockedValueBox(State(head: value))
    }

    /// The current value.
    public var current: UInt64 { state.withLockedValue { $0.head } }

    /// Moves to `value` if that is higher, waking every waiter.
    public func advance(to value: UInt64) {
        move { value > $0 ? value : nil }
    }

    /// Moves up by one, waking every waiter.
    public func bump() {
        move { $0 &+ 1 }
    }

    private func move(_ next: (UInt64) -> UInt64?) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            guard let value = next(state.head) else { return [] }
            state.head = value
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the value passes `sequence`, at `deadline`, or when the task is cancelled,
    /// whichever is first. Returns the value at that moment.
    @discardableResult
    public func wait(beyond sequence: UInt64, until deadline: ContinuousClock.Instant) async -> UInt64 {
        let id = state.withLockedValue { state -> Int? in
            guard state.head <= sequence else { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return current }
        let timer = Task { [self] in
            try? await Task.sleep(until: deadline, clock: .continuous)
            if !Task.isCancelled { wake(id) }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLockedValue { state -> Bool in
                    // The head may have moved, or the timer or a cancel fired, between taking the id and parking.
                    if state.head > sequence || state.woken.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            wake(id)
        }
        timer.cancel()
        state.withLockedValue { _ = $0.woken.remove(id) }
        return current
    }

    private func wake(_ id: Int) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
            state.woken.insert(id)
            return nil
        }
        waiter?.resume()
    }
}
