import Foundation
import CoreMetrics
import Logging
import NIOConcurrencyHelpers
import SOMCodec
import SOMLMDB

/// The single writer thread: takes every write queued by any connection, applies as many as fit in
/// one LMDB transaction, commits (fsync unless configured otherwise), and only then completes them.
///
/// No batching delay is added: while one transaction commits, new writes queue, and the next
/// transaction takes all of them. Under load commits therefore grow by themselves (fewer, larger
/// fsyncs, and each dirtied index page carries more records); when idle a lone write commits at once.
final class GroupCommitWriter: @unchecked Sendable {
    // @unchecked: the queues, `running` and `finished` are only touched while holding `condition`.
    private let condition = NSCondition()
    /// Intake, served first; then everything else. Each lane keeps its own order.
    private var urgent: [PendingWrite] = []
    private var queue: [PendingWrite] = []
    /// When the last group with intake was formed (monotonic: a wall-clock step must not make
    /// intake look as if it flowed for an hour); read and written under `condition`.
    private var lastIntake: ContinuousClock.Instant?
    /// Intake within this long counts as flowing.
    static let intakeFlowing: Duration = .milliseconds(5)
    /// How long background work alone waits for intake to join it while intake flows.
    static let backgroundWait: Duration = .milliseconds(1)
    private var running = true
    private var finished = false

    private let environment: Environment
    private let tables: Tables
    private let maxRecordsPerCommit: Int
    private let maxBackgroundRecordsPerCommit: Int
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    private let onCommit: @Sendable (_ lastSequence: UInt64, _ records: Int) -> Void

    /// Moves on every commit that failed for lack of space; the server's recovery loop waits on it.
    let storageFailures = Watermark()

    /// When recent transactions committed, for the age of the oldest reader.
    let commitTimes = CommitTimes()

    /// Commits and records written since open, for `Stats`.
    let totals = NIOLockedValueBox((commits: 0, records: 0))
    /// Open orders per status as committed (raw status → count); set at open, kept by each commit.
    let openCounts: NIOLockedValueBox<[Int32: Int]>

    /// swift-metrics instruments: commits, records, commit and sync latency, finished orders.
    private let metrics = StoreMetrics()

    /// Orders and devices kept decoded between steps; used by the writer thread only.
    let decoded: DecodedRecords

    /// Counters as of the last commit; owned by the writer thread after `start`.
    private var committed: WriteContext

    init(
        environment: Environment, tables: Tables, nextOrderNumber: UInt64, nextSequence: UInt64, openCounts: [Int32: Int],
        maxRecordsPerCommit: Int, maxBackgroundRecordsPerCommit: Int, decodedRecordsKept: Int, clock: @escaping @Sendable () -> Timestamp, logger: Logger,
        onCommit: @escaping @Sendable (UInt64, Int) -> Void
    ) {
        self.environment = environment
        self.tables = tables
        self.openCounts = NIOLockedValueBox(openCounts)
        self.maxRecordsPerCommit = maxRecordsPerCommit
        self.maxBackgroundRecordsPerCommit = min(maxRecordsPerCommit, maxBackgroundRecordsPerCommit)
        self.decoded = DecodedRecords(capacity: decodedRecordsKept)
        self.clock = clock
        self.logger = logger
        self.onCommit = onCommit
        self.committed = WriteContext(nextOrderNumber: nextOrderNumber, nextSequence: nextSequence, now: Timestamp())
    }

    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "som-store-writer"
        thread.start()
    }

    /// Queues a write; fails it at once when the writer has stopped.
    func enqueue(_ write: PendingWrite) {
        condition.lock()
        guard running else {
            condition.unlock()
            write.fail(.closed)
            return
        }
        if write.urgent { urgent.append(write) } else { queue.append(write) }
        condition.signal()
        condition.unlock()
    }

    /// Stops after the writes already queued are committed; returns when the thread has exited.
    func stop() {
        condition.lock()
        running = false
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        while let group = nextGroup() {
            commit(group)
        }
        logger.debug("decoded records", metadata: ["hits": "\(decoded.hits)", "misses": "\(decoded.misses)"])
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for work; takes queued writes up to the record bound. Nil once stopped and drained.
    private func nextGroup() -> [PendingWrite]? {
        condition.lock()
        defer { condition.unlock() }
        while urgent.isEmpty && queue.isEmpty {
            if !running { return nil }
            condition.wait()
        }
        // While intake flows, background work alone waits a moment for the next intake to share
        // its commit: otherwise every intake commit is followed by one of its own evaluations,
        // and each pays the two device flushes of a commit.
        if urgent.isEmpty, running, let last = lastIntake, ContinuousClock.now - last < Self.intakeFlowing {
            // Short monotonic sleeps, not `wait(until:)`: that deadline is wall-clock time, and a
            // clock stepped back would hold background work for as long as the step.
            let until = ContinuousClock.now + Self.backgroundWait
            while urgent.isEmpty, running, ContinuousClock.now < until {
                condition.unlock()
                Thread.sleep(forTimeInterval: 0.0001)
                condition.lock()
            }
        }
        if !urgent.isEmpty { lastIntake = .now }
        var group: [PendingWrite] = []
        Self.take(from: &urgent, into: &group, bound: maxRecordsPerCommit)
        Self.take(from: &queue, into: &group, bound: maxBackgroundRecordsPerCommit)
        return group
    }

    /// Moves writes from the front of `lane` into `group` while those taken stay within `bound`
    /// records (a group always takes at least one write, however heavy).
    private static func take(from lane: inout [PendingWrite], into group: inout [PendingWrite], bound: Int) {
        var records = 0
        var count = 0
        while count < lane.count, group.isEmpty && count == 0 || records + lane[count].weight <= bound {
            records += lane[count].weight
            count += 1
        }
        group.append(contentsOf: lane[0..<count])
        lane.removeFirst(count)
    }

    private func commit(_ group: [PendingWrite]) {
        let start = committed
        let now = clock()
        let began = ContinuousClock.now
        var applied = began
        do {
            let (completions, context) = try environment.write { txn -> ([@Sendable () -> Void], WriteContext) in
                defer { applied = ContinuousClock.now }
                var context = WriteContext(
                    nextOrderNumber: start.nextOrderNumber, nextSequence: start.nextSequence, now: now, decoded: decoded)
                var completions: [@Sendable () -> Void] = []
                completions.reserveCapacity(group.count)
                for write in group {
                    completions.append(try write.apply(&txn, tables, &context))
                }
                return (completions, context)
            }
            let ended = ContinuousClock.now
            committed = context
            committed.openDeltas = [:]
            committed.finishedDeltas = [:]
            // Read, not counted: a transaction that changed nothing commits without a new id.
            if let transaction = try? environment.info.lastTransactionID { commitTimes.record(UInt64(transaction)) }
            if !context.openDeltas.isEmpty {
                openCounts.withLockedValue { counts in
                    for (status, delta) in context.openDeltas { counts[status, default: 0] += delta }
                }
            }
            let records = group.reduce(0) { $0 + $1.weight }
            totals.withLockedValue { $0 = ($0.commits + 1, $0.records + records) }
            metrics.commits.increment()
            metrics.records.increment(by: records)
            metrics.recordsPerCommit.record(records)
            metrics.commitDuration.recordNanoseconds((ended - began).wholeNanoseconds)
            metrics.syncDuration.recordNanoseconds((ended - applied).wholeNanoseconds)
            metrics.finished(context.finishedDeltas)
            if context.nextSequence != start.nextSequence {
                onCommit(context.nextSequence - 1, records)
            }
            for complete in completions { complete() }
        } catch {
            let failure = Self.storeError(error, directory: environment.path)
            logger.error("group commit of \(group.count) writes failed: \(failure)")
            if case .storageFull = failure { storageFailures.bump() }
            metrics.failedCommits.increment()
            for write in group { write.fail(failure) }
        }
    }

    /// The one mapping from storage failures to `StoreError`.
    ///
    /// A full file system seldom says ENOSPC: liblmdb sees a short `pwrite` and reports EIO. So an
    /// I/O error is looked at again with the file system's free space: where almost nothing is
    /// left, it is a full disk (RESOURCE_EXHAUSTED for callers), not a broken one.
    static func storeError(_ error: any Error, directory: String? = nil) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let lmdb = error as? LMDBError else { return .storage("\(error)") }
        switch lmdb {
        case .mapFull: return .storageFull("the database reached its configured size limit (--max-store-mib)")
        case .noSpace: return .storageFull(freeSpaceNote(directory) ?? "no space left on the device")
        case .ioError:
            if let directory, let free = freeBytes(directory), free < lowSpace {
                return .storageFull(freeSpaceNote(directory) ?? "no space left on the device")
            }
            return .storage("\(lmdb)")
        default: return .storage("\(lmdb)")
        }
    }

    /// Below this much free space an I/O error is taken for a full disk: a commit needs a few pages
    /// per changed record, so a disk with less than this left cannot take a group commit.
    static let lowSpace: Int64 = 16 << 20

    static func freeBytes(_ directory: String) -> Int64? {
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: directory)
        return (attributes?[.systemFreeSize] as? NSNumber)?.int64Value
    }

    static func freeSpaceNote(_ directory: String?) -> String? {
        guard let directory, let free = freeBytes(directory) else { return nil }
        return "no space left on the device holding \(directory) (\(free) bytes free)"
    }
}
