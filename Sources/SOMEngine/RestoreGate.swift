import NIOConcurrencyHelpers

/// Holds back everything that uses the command and field-work queues until they are rebuilt
/// after a start, while intake and reads are already served.
///
/// The queues are rebuilt from the open orders in the store; a step that changed an order's
/// activities before that would be undone by the rebuild (a cancelled command queued again). So
/// steps, timers and adapters wait here; once the rebuild is in, they go on in the order they came.
final class RestoreGate: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Bool, Never>])
        case open
        case failed
    }

    private let state: NIOLockedValueBox<State>

    /// A gate that is open from the start (`restoring: false`), or shut until `open()`.
    init(restoring: Bool) {
        state = NIOLockedValueBox(restoring ? .waiting([]) : .open)
    }

    /// Waits until the queues are rebuilt: true then, false when the rebuild failed (the server stops).
    func wait() async -> Bool {
        if case .open = state.withLockedValue({ $0 }) { return true }
        return await withCheckedContinuation { continuation in
            let answer: Bool? = state.withLockedValue { state in
                switch state {
                case .open: return true
                case .failed: return false
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                }
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Whether the queues are rebuilt.
    var isOpen: Bool { if case .open = state.withLockedValue({ $0 }) { true } else { false } }

    /// The queues are rebuilt: everyone waiting goes on.
    func open() { finish(.open, answer: true) }

    /// The rebuild failed: everyone waiting is told so.
    func fail() { finish(.failed, answer: false) }

    private func finish(_ final: State, answer: Bool) {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Bool, Never>] in
            guard case .waiting(let waiters) = state else { return [] }
            state = final
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: answer) }
    }
}
