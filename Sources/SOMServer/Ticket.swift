import NIOConcurrencyHelpers

/// A value that arrives once, from any thread, and may be awaited by one task.
final class Ticket<Value: Sendable>: Sendable {
    private enum State {
        case pending(CheckedContinuation<Value, Never>?)
        case done(Value)
    }

    private let state = NIOLockedValueBox(State.pending(nil))

    /// Delivers the value (only the first call counts).
    func fulfil(_ value: Value) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Value, Never>? in
            guard case .pending(let waiter) = state else { return nil }
            state = .done(value)
            return waiter
        }
        waiter?.resume(returning: value)
    }

    /// Waits for the value.
    var value: Value {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLockedValue { state -> Value? in
                    switch state {
                    case .done(let value): return value
                    case .pending: state = .pending(continuation); return nil
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}

/// A counting semaphore for tasks: bounds how much work one stream may have in flight.
final class AsyncPermits: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        var closed = false
    }

    private let state: NIOLockedValueBox<State>

    init(_ count: Int) { state = NIOLockedValueBox(State(available: count)) }

    /// Waits for a permit. False once closed: the consumer has gone (e.g. failed), so the
    /// producer must stop instead of taking on more work nobody will answer.
    func acquire() async -> Bool {
        await withCheckedContinuation { continuation in
            let granted = state.withLockedValue { state -> Bool in
                if state.closed { return true }
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
        return state.withLockedValue { !$0.closed }
    }

    /// Lets every present and future `acquire` through: the consumer has gone, nobody must wait for it.
    func close() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func release() {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume()
    }
}
