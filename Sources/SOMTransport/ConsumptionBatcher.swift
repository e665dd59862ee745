import NIOConcurrencyHelpers

/// Counts messages a reader takes and reports them to the event loop in groups: the stream state
/// machine grants credit back only every half window anyway, so one hop per half window replaces
/// one hop per message with the same grants at the same moments.
final class ConsumptionBatcher: Sendable {
    private let taken = NIOLockedValueBox(0)
    private let batch: Int

    /// - Parameter window: the stream's inbound credit window.
    init(window: Int) { batch = max(1, window / 2) }

    /// Counts one message; returns how many to report now (nil: keep counting).
    func take() -> Int? {
        taken.withLockedValue { taken in
            taken += 1
            guard taken >= batch else { return nil }
            defer { taken = 0 }
            return taken
        }
    }
}
