public import Logging
import SOMOrchestration
public import SOMStore
import SOMCodec

/// Brings back orders stranded by a full disk, without a restart.
///
/// Intake acknowledges an order once it is durable; its first evaluation is a second write. When
/// the disk (or the size cap) refuses that write, the order stays RECEIVED with nobody to look at it
/// again. So whenever a commit fails for lack of space, this loop waits a moment and queues every
/// RECEIVED order for evaluation again, and keeps doing so (waiting longer each time, up to 30 s)
/// while failures continue. A repeated evaluation of an order already evaluated changes nothing,
/// so the rescan needs no bookkeeping.
public struct StrandedOrderRecovery: Sendable {
    let store: OrderStore
    let evaluations: EvaluationQueue
    let logger: Logger
    /// How long to wait after a failure before trying again; doubles while failures go on.
    var retryAfter: Duration = .seconds(1)
    /// The longest wait between tries while the disk stays full (keeps the log quiet).
    var longestWait: Duration = .seconds(30)

    /// Recovery for `store`'s RECEIVED orders through `evaluations`.
    public init(store: OrderStore, evaluations: EvaluationQueue, logger: Logger) {
        self.store = store
        self.evaluations = evaluations
        self.logger = logger
    }

    public func run() async {
        var handled = store.storageFailures.current
        var delay = retryAfter
        while !Task.isCancelled {
            let waited = ContinuousClock.now
            let seen = await store.storageFailures.wait(beyond: handled, until: .now + .seconds(3600))
            guard seen > handled else { continue }
            // A failure long after the last try means space came back in between: start quick again.
            if ContinuousClock.now - waited > longestWait * 2 { delay = retryAfter }
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled else { return }
            delay = min(delay * 2, longestWait)
            handled = store.storageFailures.current
            let stranded = store.openCounts[.received] ?? 0
            guard stranded > 0 else { continue }
            logger.notice("evaluating orders left waiting by a full disk", metadata: ["count": "\(stranded)"])
            evaluations.submitAllReceived()
        }
    }
}
