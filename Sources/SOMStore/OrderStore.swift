import Foundation
import NIOConcurrencyHelpers
public import Logging
public import SOMCodec
import SOMLMDB

/// The system of record: orders, their indexes, the event log and the device population, in one
/// LMDB environment under a data directory that only this process may use.
///
/// Reads run on the caller's thread in short read transactions (LMDB MVCC: they never wait for the
/// writer). Every write goes through the group-commit writer thread and returns once durable.
public final class OrderStore: Sendable {
    /// Tunables; the defaults are what somd uses.
    public struct Options: Sendable {
        /// Initial LMDB map size; the map doubles on demand.
        public var initialMapSize: Int = 256 << 20
        /// The map never grows past this; a write that needs more fails with `storageFull`.
        public var maxMapSize: Int? = nil
        /// One transaction applies at most this many records (a single larger write still goes alone).
        public var maxRecordsPerCommit: Int = 100_000
        /// Records of everything but intake (decisions, dispatches, results) one transaction takes.
        /// Keeps each transaction short, so new orders, which go first, never wait long for the one
        /// in progress; background work then commits a little more often.
        public var maxBackgroundRecordsPerCommit: Int = 256
        /// Open orders (and devices) the writer keeps decoded between steps (`DecodedRecords`); 0 turns
        /// the cache off. Each entry costs about 2 KiB (8,192: +10 MiB of RSS in a 1M ingest).
        public var decodedRecordsKept: Int = 8_192
        /// fsync every commit. Turning it off loses acknowledged writes on power loss: tests and
        /// benchmarks that say so only.
        public var durable: Bool = true

        /// Start an empty store even where lock files show a store once lived (`somd --init`).
        public var initializeEmpty: Bool = false

        /// Creates the defaults.
        public init() {}

        /// The first map: the configured initial size, but never beyond the cap.
        var firstMapSize: Int { min(initialMapSize, maxMapSize ?? Int.max) }
    }

    /// The data directory.
    public let directory: String
    /// The newest durable event; watchers wait on it.
    public let head: Watermark

    let environment: Environment
    let tables: Tables
    private let lock: DirectoryLock
    let writer: GroupCommitWriter
    private let logger: Logger

    /// Opens (creating when missing) the store in `directory`.
    /// - Parameter clock: the wall clock records are stamped with; tests pass their own.
    /// - Throws: `StoreError.dataDirectoryInUse` when another process has it open,
    ///   `.schemaTooNew` when a newer binary wrote it, `.cannotOpen` for anything else.
    public init(
        directory: String, options: Options = Options(), logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = Timestamp.now
    ) throws(StoreError) {
        self.directory = directory
        self.logger = logger
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw .cannotOpen(path: directory, reason: error.localizedDescription)
        }
        // Read before the lock below creates som.lock: did a store live here before?
        let hadStore = ["som.lock", "lock.mdb"].contains { FileManager.default.fileExists(atPath: directory + "/" + $0) }
        lock = try Self.lockDataDirectory(directory)
        do {
            // liblmdb trusts the file it maps: check it before the first write can touch a bad page.
            // The open-orders index is read whole just below; the other trees at their edges.
            switch DataFileCheck(directory: directory).run(.roots, fully: [StoreSchema.byStatus]) {
            case .damaged(let problems):
                throw StoreError.damaged(path: directory, problems: problems)
            case .empty where hadStore && !options.initializeEmpty:
                throw StoreError.dataMissing(path: directory)
            case .empty, .sound:
                break
            }
            let environment = try Environment(
                path: directory,
                options: .init(
                    mapSize: options.firstMapSize, maxMapSize: options.maxMapSize, maxDatabases: 16,
                    maxReaders: 510, flags: options.durable ? [] : [.noSync], fileMode: 0o600))
            let (tables, counters, openCounts) = try Self.prepare(environment)
            self.environment = environment
            self.tables = tables
            self.head = Watermark(counters.nextSequence - 1)
            let head = self.head
            self.writer = GroupCommitWriter(
                environment: environment, tables: tables, nextOrderNumber: counters.nextOrderNumber,
                nextSequence: counters.nextSequence, openCounts: openCounts, maxRecordsPerCommit: options.maxRecordsPerCommit,
                maxBackgroundRecordsPerCommit: options.maxBackgroundRecordsPerCommit,
                decodedRecordsKept: options.decodedRecordsKept, clock: clock, logger: logger, onCommit: { last, _ in head.advance(to: last) })
        } catch {
            lock.release()
            if let error = error as? StoreError { throw error }
            if let error = error as? LMDBError, [.corrupted, .pageNotFound, .invalid, .panic].contains(error) {
                throw .damaged(path: directory, problems: ["liblmdb: \(error)"])
            }
            throw .cannotOpen(path: directory, reason: "\(error)")
        }
        writer.start()
    }

    /// Takes `<directory>/som.lock`: only one process may use a data directory at a time.
    static func lockDataDirectory(_ directory: String) throws(StoreError) -> DirectoryLock {
        do {
            return try DirectoryLock(path: directory + "/som.lock")
        } catch {
            switch error {
            case .held(_, let pid): throw .dataDirectoryInUse(path: directory, pid: pid)
            case .cannotOpen(_, let reason): throw .cannotOpen(path: directory, reason: reason)
            }
        }
    }

    var writerTotals: (commits: Int, records: Int) { writer.totals.withLockedValue { $0 } }

    /// Counts commits refused for lack of space (disk full or the size cap). Work whose write was
    /// refused (first evaluations above all) must be tried again once space is back; see the server.
    public var storageFailures: Watermark { writer.storageFailures }

    /// Open orders per status as committed.
    public var openCounts: [OrderStatus: Int] {
        writer.openCounts.withLockedValue { counts in
            var result: [OrderStatus: Int] = [:]
            for (status, count) in counts where count > 0 { result[OrderStatus(rawValue: status)] = count }
            return result
        }
    }

    /// Finishes queued writes, stops the writer and closes the environment and its lock.
    public func close() {
        writer.stop()
        environment.close()
        lock.release()
    }

    /// Opens or creates the named databases, checks the schema version, and reads the counters.
    private static func prepare(_ environment: Environment) throws -> (Tables, WriteContext, [Int32: Int]) {
        try environment.write { txn in
            let tables = Tables(
                orders: try txn.openDatabase(name: StoreSchema.orders, flags: .create),
                idempotency: try txn.openDatabase(name: StoreSchema.idempotency, flags: .create),
                byServicePoint: try txn.openDatabase(name: StoreSchema.byServicePoint, flags: .create),
                byStatus: try txn.openDatabase(name: StoreSchema.byStatus, flags: .create),
                events: try txn.openDatabase(name: StoreSchema.events, flags: .create),
                devices: try txn.openDatabase(name: StoreSchema.devices, flags: .create),
                meta: try txn.openDatabase(name: StoreSchema.meta, flags: .create),
                due: try txn.openDatabase(name: StoreSchema.due, flags: .create),
                audit: try txn.openDatabase(name: StoreSchema.audit, flags: .create),
                auditByTarget: try txn.openDatabase(name: StoreSchema.auditByTarget, flags: .create))
            if let stored = try txn.get(StoreSchema.schemaVersionKey, in: tables.meta) {
                guard let found = UInt32(bigEndianBytes: stored) else {
                    throw StoreError.cannotOpen(path: environment.path, reason: "unreadable schema version")
                }
                guard found <= StoreSchema.version else {
                    throw StoreError.schemaTooNew(found: found, supported: StoreSchema.version)
                }
            }
            // New directories, and older layouts once upgraded above, carry the current version.
            try txn.put(StoreSchema.version.bigEndianBytes, forKey: StoreSchema.schemaVersionKey, in: tables.meta)
            var lastOrder: UInt64 = 0
            try txn.scan(in: tables.orders, reverse: true) { key, _ in
                lastOrder = UInt64(bigEndianBytes: key) ?? 0
                return .stop
            }
            var lastSequence: UInt64 = 0
            try txn.scan(in: tables.events, reverse: true) { key, _ in
                lastSequence = UInt64(bigEndianBytes: key) ?? 0
                return .stop
            }
            if lastSequence == 0, let floor = try txn.get(StoreSchema.eventFloorKey, in: tables.meta) {
                // Every event was trimmed: continue numbering above the floor, never reuse a number.
                lastSequence = (UInt64(bigEndianBytes: floor) ?? 1) - 1
            }
            // One scan at open; from then on every commit keeps the counts (Stats is O(1)).
            var openCounts: [Int32: Int] = [:]
            try txn.scan(in: tables.byStatus) { key, _ in
                openCounts[Int32(key[0]), default: 0] += 1
                return .continue
            }
            return (tables, WriteContext(nextOrderNumber: lastOrder + 1, nextSequence: lastSequence + 1, now: Timestamp()), openCounts)
        }
    }

    /// Runs `body` on the writer thread inside the next group transaction; returns once it is durable.
    func perform<Output: Sendable>(
        weight: Int,
        _ body: @escaping @Sendable (inout WriteTransaction, Tables, inout WriteContext) throws -> Output
    ) async throws(StoreError) -> Output {
        let result: Result<Output, StoreError> = await withCheckedContinuation { continuation in
            enqueue(weight: weight, body) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Queues `body` like `perform` without waiting; `completion` runs on the writer thread once the
    /// write is durable (or failed). Lets one stream keep several writes in flight, in order.
    func enqueue<Output: Sendable>(
        weight: Int, urgent: Bool = false,
        _ body: @escaping @Sendable (inout WriteTransaction, Tables, inout WriteContext) throws -> Output,
        completion: @escaping @Sendable (Result<Output, StoreError>) -> Void
    ) {
        writer.enqueue(PendingWrite(
            weight: weight, urgent: urgent,
            apply: { txn, tables, context in
                let output = try body(&txn, tables, &context)
                return { completion(.success(output)) }
            },
            fail: { completion(.failure($0)) }))
    }

    /// Runs `body` in a short read transaction, mapping LMDB errors.
    func read<Output>(_ body: (borrowing ReadTransaction) throws -> Output) throws(StoreError) -> Output {
        do {
            return try environment.read(body)
        } catch {
            let failure = GroupCommitWriter.storeError(error, directory: directory)
            if case .storage(let cause) = failure { logger.error("read failed", metadata: ["cause": "\(cause)"]) }
            throw failure
        }
    }
}
