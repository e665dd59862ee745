import DequeModule
import NIOConcurrencyHelpers
import SOMOrchestration

/// New orders waiting for their first evaluation. Intake answers as soon as orders are durable and
/// hands their ids here; one worker evaluates them in batches, so a billing run's burst becomes a
/// backlog of ids (a few bytes each) rather than a task per order. After a crash, orders still
/// RECEIVED are found in the store and queued again.
final class EvaluationQueue: Sendable {
    private struct State {
        var pending: Deque<String> = []
        var worker: CheckedContinuation<Void, Never>?
    }

    private let state = NIOLockedValueBox(State())
    private let engine: OrderEngine

    init(engine: OrderEngine) { self.engine = engine }

    /// Queues orders for evaluation.
    func submit(_ orderIDs: [String]) {
        guard !orderIDs.isEmpty else { return }
        let worker = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            state.pending.append(contentsOf: orderIDs)
            defer { state.worker = nil }
            return state.worker
        }
        worker?.resume()
    }

    /// How many orders wait.
    var backlog: Int { state.withLockedValue { $0.pending.count } }

    /// Evaluates queued orders until cancelled.
    func run() async {
        while !Task.isCancelled {
            let batch = state.withLockedValue { state -> [String] in
                let count = min(state.pending.count, 1024)
                defer { state.pending.removeFirst(count) }
                return Array(state.pending.prefix(count))
            }
            if batch.isEmpty {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let resumeNow = state.withLockedValue { state -> Bool in
                            if !state.pending.isEmpty || Task.isCancelled { return true }
                            state.worker = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    let worker = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                        defer { state.worker = nil }
                        return state.worker
                    }
                    worker?.resume()
                }
                continue
            }
            await engine.step(batch.map { ($0, OrchestratorEvent.evaluate) })
        }
    }
}
