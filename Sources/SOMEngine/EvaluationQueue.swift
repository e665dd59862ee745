import DequeModule
import NIOConcurrencyHelpers
import SOMOrchestration
import SOMStore

/// New orders waiting for their first evaluation. Intake answers as soon as orders are durable and
/// hands their ids here; one worker evaluates them in batches, so a billing run's burst becomes a
/// backlog of ids (a few bytes each) rather than a task per order. After a crash, orders still
/// RECEIVED are found in the store and queued again.
public final class EvaluationQueue: Sendable {
    /// Ids in arrival order, and the same ids as a set: an id already waiting is not queued twice
    /// (the full-disk recovery re-queues every RECEIVED order, possibly many times).
    private let pending = NIOLockedValueBox((order: Deque<String>(), queued: Set<String>()))
    /// Moves with every submission; the idle worker waits on it.
    private let submissions = Watermark()
    private let engine: OrderEngine

    /// A queue whose worker steps orders with `engine`.
    public init(engine: OrderEngine) { self.engine = engine }

    /// Orders evaluated in one batch: no more than the store takes of background work per
    /// transaction (`OrderStore.Options.maxBackgroundRecordsPerCommit`), so a batch never holds up
    /// intake for longer than one short transaction.
    static let batchLimit = 256

    /// Queues orders for evaluation.
    public func submit(_ orderIDs: [String]) {
        guard !orderIDs.isEmpty else { return }
        pending.withLockedValue { pending in
            for id in orderIDs where pending.queued.insert(id).inserted { pending.order.append(id) }
        }
        submissions.bump()
    }

    /// Evaluates queued orders until cancelled.
    public func run() async {
        while !Task.isCancelled {
            let seen = submissions.current
            let batch = pending.withLockedValue { pending -> [String] in
                let count = min(pending.order.count, Self.batchLimit)
                let batch = Array(pending.order.prefix(count))
                pending.order.removeFirst(count)
                for id in batch { pending.queued.remove(id) }
                return batch
            }
            if batch.isEmpty {
                // Cancellation ends the wait early; the deadline only bounds it.
                await submissions.wait(beyond: seen, until: .now + .seconds(3600))
                continue
            }
            await engine.step(batch.map { ($0, OrchestratorEvent.evaluate) })
        }
    }
}
