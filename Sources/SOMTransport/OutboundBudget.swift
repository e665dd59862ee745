import NIOConcurrencyHelpers

/// One connection's response bytes handed over by its handlers but not yet written to the
/// channel, and whether the channel is writable. A handler may run ahead of the socket (the
/// gate's fast path) only while the channel is writable and the bytes stay under the limit;
/// otherwise it waits for its message to be written. So a client that never reads holds the
/// server to this limit plus NIO's high water mark plus one waiting message per stream.
final class OutboundBudget: Sendable {
    private struct State {
        var queued = 0
        var writable = true
    }

    private let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) { self.limit = limit }

    /// Bytes queued now.
    var queued: Int { state.withLockedValue { $0.queued } }

    /// Takes `bytes` if the channel is writable and they fit under the limit.
    func tryTake(_ bytes: Int) -> Bool {
        state.withLockedValue { state in
            guard state.writable, state.queued + bytes <= limit else { return false }
            state.queued += bytes
            return true
        }
    }

    /// Counts bytes of a message whose writer waits for it to be written (always allowed: one per stream).
    func add(_ bytes: Int) {
        state.withLockedValue { $0.queued += bytes }
    }

    /// The bytes were written to the channel, or dropped.
    func release(_ bytes: Int) {
        state.withLockedValue { $0.queued -= bytes }
    }

    /// The channel's writability changed.
    func setWritable(_ writable: Bool) {
        state.withLockedValue { $0.writable = writable }
    }
}
