/// What the workers of one case did, merged.
struct Tally: Sendable {
    var operations: UInt64 = 0
    var payloadBytes: UInt64 = 0
    var latency = LatencyHistogram()

    mutating func merge(_ other: Tally) {
        operations += other.operations
        payloadBytes += other.payloadBytes
        latency.merge(other.latency)
    }
}

/// Runs one case: a warm-up whose results are dropped, then the measured phase. Each worker
/// loops until the phase's end instant; the phase lasts until the last worker returns, so an
/// operation that straddles the end is counted with the time it took.
enum TimedRun {
    typealias Worker = @Sendable (_ index: Int, _ until: ContinuousClock.Instant) async throws -> Tally

    static func measure(workers: Int, timing: RunOptions, _ worker: @escaping Worker) async throws -> (tally: Tally, elapsed: Duration) {
        if timing.warmup > 0 { _ = try await phase(workers: workers, duration: timing.warmupDuration, worker) }
        return try await phase(workers: workers, duration: timing.measured, worker)
    }

    private static func phase(workers: Int, duration: Duration, _ worker: @escaping Worker) async throws -> (tally: Tally, elapsed: Duration) {
        let start = ContinuousClock.now
        let until = start + duration
        let tally = try await withThrowingTaskGroup(of: Tally.self) { group in
            for index in 0..<workers { group.addTask { try await worker(index, until) } }
            var total = Tally()
            for try await part in group { total.merge(part) }
            return total
        }
        return (tally, ContinuousClock.now - start)
    }
}

extension CaseResult {
    /// A result from a tally; `withLatency` for cases where each operation is one timed call.
    init(name: String, description: String, unit: String, tally: Tally, elapsed: Duration, withLatency: Bool, countsPayload: Bool) {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        self.init(
            name: name, description: description, unit: unit, operations: tally.operations, elapsedSeconds: seconds,
            perSecond: Double(tally.operations) / seconds,
            payloadMBPerSecond: countsPayload ? Double(tally.payloadBytes) / seconds / 1e6 : nil,
            latencyUs: withLatency ? LatencySummary(tally.latency) : nil)
    }
}
