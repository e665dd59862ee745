import DequeModule
import Logging
import SOMCodec
import NIOConcurrencyHelpers
import SOMOrchestration
import SOMStore

/// New orders waiting for their first evaluation. Intake answers as soon as orders are durable and
/// hands their ids here; one worker evaluates them in batches, so a billing run's burst becomes a
/// backlog of ids rather than a task per order.
///
/// The backlog in memory is bounded (`capacity` ids). Beyond it, ids are dropped and the worker
/// later reads the orders still RECEIVED from the store's status index, a page at a time: every
/// dropped order is durable and RECEIVED, so the store is the backlog. A 10M-order burst
/// otherwise held ~500 MiB of ids. After a crash, orders still RECEIVED are found the same way.
public final class EvaluationQueue: Sendable {
    /// Ids in arrival order, the same ids as a set (an id already waiting is not queued twice),
    /// and whether ids were dropped since the store was last read.
    private let pending = NIOLockedValueBox((order: Deque<String>(), queued: Set<String>(), dropped: false))
    /// Moves with every submission; the idle worker waits on it.
    private let submissions = Watermark()
    private let engine: OrderEngine
    /// Most ids held in memory.
    let capacity: Int

    /// A queue whose worker steps orders with `engine`, holding at most `capacity` ids in memory.
    public init(engine: OrderEngine, capacity: Int = 50_000) {
        self.engine = engine
        self.capacity = max(capacity, Self.batchLimit)
    }

    /// Orders evaluated in one batch: no more than the store takes of background work per
    /// transaction (`OrderStore.Options.maxBackgroundRecordsPerCommit`), so a batch never holds up
    /// intake for longer than one short transaction.
    static let batchLimit = 256

    /// Queues orders for evaluation (ids beyond the capacity are read back from the store later).
    public func submit(_ orderIDs: [String]) {
        guard !orderIDs.isEmpty else { return }
        pending.withLockedValue { pending in
            for id in orderIDs where !pending.queued.contains(id) {
                guard pending.order.count < capacity else {
                    pending.dropped = true
                    break
                }
                pending.queued.insert(id)
                pending.order.append(id)
            }
        }
        submissions.bump()
    }

    /// Evaluates every order the store holds as RECEIVED (after a restart, or when evaluations
    /// could not be written), read from the store a page at a time.
    public func submitAllReceived() {
        pending.withLockedValue { $0.dropped = true }
        submissions.bump()
    }

    /// Evaluates queued orders until cancelled.
    public func run() async {
        // Where a pass over the store's RECEIVED orders continues, and whether another must follow
        // it: ids dropped (or a full-disk recovery) during a pass may sit before its cursor.
        var pass: (after: String?, active: Bool) = (nil, false)
        var again = false
        while !Task.isCancelled {
            let seen = submissions.current
            let (batch, dropped) = pending.withLockedValue { pending -> ([String], Bool) in
                let count = min(pending.order.count, Self.batchLimit)
                let batch = Array(pending.order.prefix(count))
                pending.order.removeFirst(count)
                for id in batch { pending.queued.remove(id) }
                let dropped = batch.isEmpty && pending.dropped
                if dropped { pending.dropped = false }
                return (batch, dropped)
            }
            if !batch.isEmpty {
                await engine.step(batch.map { ($0, OrchestratorEvent.evaluate) })
                continue
            }
            if dropped { again = true }
            if !pass.active && again {
                pass = (nil, true)
                again = false
            }
            if pass.active {
                pass = await readPage(after: pass.after)
                continue
            }
            // Cancellation ends the wait early; the deadline only bounds it.
            await submissions.wait(beyond: seen, until: .now + .seconds(3600))
        }
    }

    /// Queues the next page of RECEIVED orders; returns where the pass goes on (inactive after
    /// the last page). A failed read is tried again a second later.
    private func readPage(after: String?) async -> (after: String?, active: Bool) {
        do {
            let page = try engine.store.openOrderIDs(status: .received, after: after, limit: capacity)
            pending.withLockedValue { pending in
                for id in page where pending.queued.insert(id).inserted { pending.order.append(id) }
            }
            return page.count < capacity ? (nil, false) : (page.last, true)
        } catch {
            engine.logger.warning("cannot list orders waiting for evaluation", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .seconds(1))
            return (after, true)
        }
    }
}
