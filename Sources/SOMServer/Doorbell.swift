import NIOConcurrencyHelpers

/// Wakes the tasks waiting for new work (adapters' pulls) when work is queued, instead of having
/// them poll. A waiter names the ring it last saw, so a ring between its check and its wait is not lost.
final class Doorbell: Sendable {
    private struct State {
        var rings: UInt64 = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var woken: Set<Int> = []
    }

    private let state = NIOLockedValueBox(State())

    /// How many times it has rung; read before checking for work.
    var rings: UInt64 { state.withLockedValue { $0.rings } }

    /// Wakes everyone waiting.
    func ring() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.rings &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once it rings after `seen`, after `timeout`, or on cancellation.
    func wait(after seen: UInt64, timeout: Duration) async {
        let id = state.withLockedValue { state -> Int? in
            guard state.rings == seen else { return nil }
            state.nextWaiter += 1
            return state.nextWaiter
        }
        guard let id else { return }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { wake(id) }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLockedValue { state -> Bool in
                    if state.rings != seen || state.woken.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            wake(id)
        }
        timer.cancel()
        state.withLockedValue { _ = $0.woken.remove(id) }
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
