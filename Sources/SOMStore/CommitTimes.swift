import Foundation
import NIOConcurrencyHelpers

/// When the last few thousand transactions committed, so a reader's snapshot (a transaction id
/// in LMDB's reader table) can be given an age in seconds.
final class CommitTimes: Sendable {
    private struct State {
        var entries: [(transaction: UInt64, at: ContinuousClock.Instant)] = []
        var next = 0
    }
    private let state = NIOLockedValueBox(State())
    private let capacity = 4096
    private let opened = ContinuousClock.now

    /// Notes that `transaction` committed now.
    func record(_ transaction: UInt64) {
        let now = ContinuousClock.now
        state.withLockedValue { state in
            if state.entries.count < capacity {
                state.entries.append((transaction, now))
            } else {
                state.entries[state.next] = (transaction, now)
                state.next = (state.next + 1) % capacity
            }
        }
    }

    /// How long ago a reader of snapshot `transaction` could have started at the latest: the time
    /// since the next transaction committed (it would otherwise see that one). Zero when nothing
    /// committed after it; a lower bound when the commit is older than the remembered ones.
    func age(ofSnapshot transaction: UInt64, now: ContinuousClock.Instant = .now) -> Duration {
        state.withLockedValue { state in
            let later = state.entries.filter { $0.transaction > transaction }
            guard !later.isEmpty else { return .zero }
            if let next = later.min(by: { $0.transaction < $1.transaction }), next.transaction == transaction + 1 {
                return now - next.at
            }
            // Older than what is remembered: at least as old as the oldest remembered commit, or,
            // when nothing was forgotten yet, as old as this process's use of the store.
            guard state.entries.count == capacity, let oldest = state.entries.map(\.at).min() else { return now - opened }
            return now - oldest
        }
    }
}
