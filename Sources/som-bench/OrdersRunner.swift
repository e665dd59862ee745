import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport
import Synchronization

/// The order cases of `som-bench orders`, each against the server at `socket`.
struct OrdersRunner: Sendable {
    let socket: String
    let serverPID: UInt32
    let timing: RunOptions
    let chunk: Int
    let callers: Int

    /// A run tag so repeated cases against one server never reuse an idempotency key.
    static func tag() -> String { String(UInt32.random(in: 0...UInt32.max), radix: 36) }

    /// Streams `count` orders in chunks over one SubmitBatch call, reading results concurrently.
    func ingest(count: Int, sorted: Bool) async throws -> CaseResult {
        let generator = OrderGenerator(runTag: Self.tag())
        progress("encoding \(count) orders...")
        var chunks: [[UInt8]] = []
        var index: UInt64 = 0
        while index < UInt64(count) {
            let end = min(index + UInt64(chunk), UInt64(count))
            let requests = (index..<end).map { generator.request($0, sorted: sorted, total: UInt64(count)) }
            chunks.append(SubmitBatchChunk(chunkID: UInt64(chunks.count), requests: requests).encoded())
            index = end
        }
        let client = SOMClient(socketPath: socket)
        defer { Task { await client.close() } }
        let call = try await client.submitBatch()
        let memory = ServerMemorySampler(pid: serverPID)
        let started = ContinuousClock.now
        let reader = Task { () throws -> (accepted: Int, other: Int) in
            var accepted = 0, other = 0, reported = 0
            for try await result in call.responses {
                accepted += Int(result.accepted)
                other += Int(result.duplicates + result.rejected)
                if accepted - reported >= 100_000 {
                    reported = accepted
                    progress("  \(accepted) acknowledged, \(Int(Double(accepted) / (ContinuousClock.now - started).seconds))/s")
                }
            }
            return (accepted, other)
        }
        for bytes in chunks { try await call.call.send(bytes) }
        call.finishSending()
        let totals = try await reader.value
        let elapsed = (ContinuousClock.now - started).seconds
        let peakMiB = await memory.stop()
        guard totals.accepted == count else {
            throw BenchError("ingest: \(totals.accepted) of \(count) accepted (\(totals.other) duplicates or rejected)")
        }
        return CaseResult(
            name: sorted ? "ingest_sorted" : "ingest",
            description: "SubmitBatch \(count) orders, chunks of \(chunk), \(sorted ? "sorted" : "random") SPs; somd peak anon RSS \(Int(peakMiB)) MiB",
            unit: "orders", operations: UInt64(count), elapsedSeconds: elapsed, perSecond: Double(count) / elapsed,
            payloadMBPerSecond: nil, latencyUs: nil)
    }

    /// Closed-loop unary Submit from `callers` tasks sharing one connection.
    func submit(callers: Int) async throws -> CaseResult {
        let generator = OrderGenerator(runTag: Self.tag())
        let client = SOMClient(socketPath: socket)
        defer { Task { await client.close() } }
        let counter = Counter()
        let before = try await client.stats()
        let (histogram, elapsed) = try await closedLoop(callers: callers) { _ in
            let index = counter.next()
            _ = try await client.submit(generator.request(index, sorted: false, total: 1))
        }
        let after = try await client.stats()
        let commits = max(1, after.commits - before.commits)
        let perCommit = Double(after.ordersTotal - before.ordersTotal) / Double(commits)
        return CaseResult(
            name: "submit_c\(callers)",
            description: "unary Submit, \(callers) caller\(callers == 1 ? "" : "s"), \(String(format: "%.1f", perCommit)) orders per commit",
            unit: "orders", operations: histogram.count, elapsedSeconds: elapsed,
            perSecond: Double(histogram.count) / elapsed, payloadMBPerSecond: nil, latencyUs: LatencySummary(histogram))
    }

    /// Closed-loop unary Get of random existing orders.
    func get(callers: Int) async throws -> CaseResult {
        let client = SOMClient(socketPath: socket)
        defer { Task { await client.close() } }
        let stored = try await client.stats().ordersTotal
        guard stored > 0 else { throw BenchError("get: the store has no orders; run an ingest case first") }
        let (histogram, elapsed) = try await closedLoop(callers: callers) { _ in
            let id = "SO" + OrderGenerator.padded(UInt64.random(in: 1...stored), 12)
            _ = try await client.rpc.unary("/som.v1.Orders/Get", request: GetOrderRequest(orderID: id).encoded())
        }
        return CaseResult(
            name: "get_c\(callers)", description: "unary Get of random orders among \(stored), \(callers) caller\(callers == 1 ? "" : "s")",
            unit: "calls", operations: histogram.count, elapsedSeconds: elapsed,
            perSecond: Double(histogram.count) / elapsed, payloadMBPerSecond: nil, latencyUs: LatencySummary(histogram))
    }

    /// List by a random service point (the generator's population), one caller.
    func listByServicePoint() async throws -> CaseResult {
        let client = SOMClient(socketPath: socket)
        defer { Task { await client.close() } }
        let rows = Counter()
        let (histogram, elapsed) = try await closedLoop(callers: 1) { _ in
            let sp = "SP-" + OrderGenerator.padded(UInt64.random(in: 0..<100_000), 9)
            let page = try await client.list(ListOrdersRequest(servicePointID: sp, pageSize: 100))
            rows.add(UInt64(page.orders.count))
        }
        return CaseResult(
            name: "list_sp", description: "List by service point, 1 caller, \(String(format: "%.1f", Double(rows.value) / Double(max(histogram.count, 1)))) orders per page",
            unit: "calls", operations: histogram.count, elapsedSeconds: elapsed,
            perSecond: Double(histogram.count) / elapsed, payloadMBPerSecond: nil, latencyUs: LatencySummary(histogram))
    }

    /// Watch from sequence 1 until the head as it was at the start: catch-up throughput.
    func watchReplay() async throws -> CaseResult {
        let client = SOMClient(socketPath: socket)
        defer { Task { await client.close() } }
        let head = try await client.stats().eventsHead
        guard head > 0 else { throw BenchError("watch: the event log is empty; run an ingest case first") }
        let started = ContinuousClock.now
        var received: UInt64 = 0
        for try await response in try await client.watch(WatchOrdersRequest(fromSequence: 1)) {
            received += UInt64(response.events.count)
            if response.headSequence >= head { break }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        return CaseResult(
            name: "watch_replay", description: "Watch from sequence 1 to the head (\(head) events)",
            unit: "events", operations: received, elapsedSeconds: elapsed, perSecond: Double(received) / elapsed,
            payloadMBPerSecond: nil, latencyUs: nil)
    }

    /// Watch from now while an ingest of `count` orders runs on another connection.
    func watchLive(count: Int) async throws -> CaseResult {
        let client = SOMClient(socketPath: socket)
        defer { Task { await client.close() } }
        let stream = try await client.watch(WatchOrdersRequest())
        var iterator = stream.makeAsyncIterator()
        _ = try await iterator.next()  // the greeting names the head: the watch is live from here
        let ingest = Task { try await self.ingest(count: count, sorted: false) }
        var received = 0
        var first: ContinuousClock.Instant?
        while received < count, let response = try await iterator.next() {
            if first == nil, !response.events.isEmpty { first = .now }
            received += response.events.count
        }
        let elapsed = (ContinuousClock.now - (first ?? .now)).seconds
        _ = try await ingest.value
        return CaseResult(
            name: "watch_live", description: "Watch from now during an ingest of \(count) orders (bounded by the ingest rate)",
            unit: "events", operations: UInt64(received), elapsedSeconds: elapsed, perSecond: Double(received) / elapsed,
            payloadMBPerSecond: nil, latencyUs: nil)
    }

    /// Runs `body` from `callers` tasks for the warm-up, then measures for `timing.seconds`.
    func closedLoop(callers: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> (LatencyHistogram, Double) {
        let warmupEnd = ContinuousClock.now + .milliseconds(Int64(timing.warmup * 1000))
        let end = warmupEnd + .milliseconds(Int64(timing.seconds * 1000))
        let histograms = try await withThrowingTaskGroup(of: LatencyHistogram.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var histogram = LatencyHistogram()
                    while true {
                        let start = ContinuousClock.now
                        if start >= end { break }
                        try await body(caller)
                        if start >= warmupEnd { histogram.record(ContinuousClock.now - start) }
                    }
                    return histogram
                }
            }
            var merged = LatencyHistogram()
            for try await histogram in group { merged.merge(histogram) }
            return merged
        }
        return (histograms, timing.seconds)
    }
}

/// A shared counter for closed-loop workers.
final class Counter: Sendable {
    private let atomic = Atomic<UInt64>(0)
    /// Returns the value before the increment.
    func next() -> UInt64 { atomic.wrappingAdd(1, ordering: .relaxed).oldValue }
    func add(_ amount: UInt64) { atomic.wrappingAdd(amount, ordering: .relaxed) }
    var value: UInt64 { atomic.load(ordering: .relaxed) }
}

func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension Duration {
    /// In seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
