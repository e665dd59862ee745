import NIOConcurrencyHelpers

/// The last durable event sequence number, and a way to wait for it to move.
///
/// Watchers read the log in short read transactions and park here when they have caught up; the
/// writer advances the head after each commit and wakes them. Nothing is buffered per watcher.
public final class EventHead: Sendable {
    private struct State {
        var head: UInt64
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Waits whose timer or cancellation came before they parked.
        var woken: Set<Int> = []
    }

    private let state: NIOLockedValueBox<State>

    init(head: UInt64) {
        state = NIOLockedValueBox(State(head: head))
    }

    /// The sequence number of the newest durable event (0 when the log is empty).
    public var current: UInt64 { state.withLockedValue { $0.head } }

    func advance(to sequence: UInt64) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            guard sequence > state.head else { return [] }
            state.head = sequence
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the head passes `sequence`, at `deadline`, or when the task is cancelled,
    /// whichever is first. Returns the head at that moment.
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
