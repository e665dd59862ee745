import Foundation
public import SOMCodec
import SOMLMDB

/// What one archive run did.
public struct ArchiveRun: Sendable, Hashable {
    /// Finished orders moved to the file and removed from the store.
    public var ordersArchived = 0
    /// Events written to the file and trimmed from the log.
    public var eventsTrimmed = 0
    /// The archive file, or nil when nothing was old enough.
    public var file: String?
    /// The lowest event sequence still kept.
    public var eventFloor: UInt64 = 1
    /// How long the run took.
    public var duration: Duration = .zero
}

/// Archive totals kept in the store, for `somctl stats`.
public struct ArchiveTotals: Sendable, Hashable {
    /// Runs that archived something.
    public var runs: UInt64 = 0
    /// Orders archived over all runs.
    public var orders: UInt64 = 0
    /// When the last run finished (seconds since the epoch), and its file.
    public var lastAt: Int64 = 0
    public var lastFile = ""
}

/// Archive keys in `meta`.
enum ArchiveKeys {
    static let runs = Array("archive_runs".utf8)
    static let orders = Array("archive_orders".utf8)
    static let lastAt = Array("archive_last_at".utf8)
    static let lastFile = Array("archive_last_file".utf8)
    /// Set while a run's file is complete but its orders are not all removed yet (see `finishPending`).
    static let pending = Array("archive_pending".utf8)
}

extension OrderStore {
    /// Moves finished orders (COMPLETED, CANCELLED, FAILED, SUPERSEDED, REJECTED) that finished
    /// before `cutoff` into a new archive file in `directory`, then removes them and their index
    /// entries from the store; events before `cutoff` go to the same file and leave the log (the
    /// retention floor rises, so Watch below it answers OUT_OF_RANGE).
    ///
    /// The file is gzip (members of at most `batchSize` lines), JSON Lines: `{"order":{…}}` and
    /// `{"event":{…}}` in canonical proto3 JSON. It is written completely and fsynced before
    /// anything is deleted. The deletions run in small write transactions through the group-commit
    /// writer, so intake never waits behind a long one. An order changed since it was written to
    /// the file (a late report) stays in the store for the next run. If somd dies between the file
    /// and the deletions, the next run finishes the deletions first (the pending file is recorded
    /// in the store), so every order lands in exactly one archive file.
    /// - Parameter eventsBefore: events from this time on stay even when older than `cutoff`
    ///   (facts rebuilt from the log at start, such as the guardrail's window, must survive).
    public func archive(
        finishedBefore cutoff: Timestamp, eventsBefore: Timestamp? = nil, into directory: String, batchSize: Int = 1000
    ) async throws(StoreError) -> ArchiveRun {
        let eventCutoff = min(cutoff, eventsBefore ?? cutoff)
        let started = ContinuousClock.now
        try await finishPending()
        var run = ArchiveRun()
        let stamp = Self.fileStamp(Timestamp.now())
        let path = directory + "/som-archive-\(stamp).jsonl.gz"
        let writer = ArchiveFileWriter(path: path + ".partial", directoryToCreate: directory)
        // Phase 1: write every candidate to the file, remembering what to delete.
        var archived: [(number: UInt64, updatedAt: Timestamp?)] = []
        var after: UInt64 = 0
        var scanning = true
        var floor = try eventFloor()
        let newest = head.current
        var eventsWritten = 0
        // A failure (a full disk above all) leaves no .partial file behind.
        do throws(StoreError) {
            while scanning {
                let page = try await BlockingWork.run("som-archive") { [self, after] () throws(StoreError) -> ArchivePage in
                    let page = try archiveCandidates(after: after, cutoff: cutoff, limit: batchSize)
                    try writer.append(page.lines)
                    return page
                }
                archived += page.orders
                after = page.lastScanned
                scanning = !page.done
            }
            // Events before the cutoff, in pages; never the newest (numbering continues after a restart).
            while floor < newest {
                let (lines, next) = try await BlockingWork.run("som-archive") { [self, floor] () throws(StoreError) -> ([String], UInt64) in
                    let page = try archiveEvents(from: floor, below: newest, cutoff: eventCutoff, limit: batchSize)
                    try writer.append(page.0)
                    return page
                }
                if lines.isEmpty { break }
                eventsWritten += lines.count
                floor = next
            }
            if !archived.isEmpty || eventsWritten > 0 {
                try await BlockingWork.run("som-archive") { () throws(StoreError) in try writer.finish(renamingTo: path) }
            }
        } catch {
            writer.discard()
            throw error
        }
        guard !archived.isEmpty || eventsWritten > 0 else {
            writer.discard()
            run.eventFloor = try eventFloor()
            run.duration = ContinuousClock.now - started
            return run
        }
        run.file = path
        // Phase 2: the file is durable; record it as pending, then delete in small transactions.
        try await perform(weight: 1) { txn, tables, _ in
            try txn.put(Array(path.utf8), forKey: ArchiveKeys.pending, in: tables.meta)
        }
        run.ordersArchived = try await deleteArchived(archived.map { ($0.number, $0.updatedAt) }, batchSize: batchSize)
        run.eventsTrimmed = eventsWritten > 0 ? try await trimEvents(below: floor) : 0
        let count = run.ordersArchived
        let finished = Timestamp.now()
        try await perform(weight: 1) { txn, tables, _ in
            _ = try txn.delete(ArchiveKeys.pending, in: tables.meta)
            let runs = UInt64(bigEndianBytes: try txn.get(ArchiveKeys.runs, in: tables.meta) ?? []) ?? 0
            let orders = UInt64(bigEndianBytes: try txn.get(ArchiveKeys.orders, in: tables.meta) ?? []) ?? 0
            try txn.put((runs + 1).bigEndianBytes, forKey: ArchiveKeys.runs, in: tables.meta)
            try txn.put((orders + UInt64(count)).bigEndianBytes, forKey: ArchiveKeys.orders, in: tables.meta)
            try txn.put(UInt64(bitPattern: finished.seconds).bigEndianBytes, forKey: ArchiveKeys.lastAt, in: tables.meta)
            try txn.put(Array(path.utf8), forKey: ArchiveKeys.lastFile, in: tables.meta)
        }
        run.eventFloor = try eventFloor()
        run.duration = ContinuousClock.now - started
        return run
    }

    /// The archive totals kept in the store.
    public func archiveTotals() throws(StoreError) -> ArchiveTotals {
        try read { txn in
            ArchiveTotals(
                runs: UInt64(bigEndianBytes: try txn.get(ArchiveKeys.runs, in: tables.meta) ?? []) ?? 0,
                orders: UInt64(bigEndianBytes: try txn.get(ArchiveKeys.orders, in: tables.meta) ?? []) ?? 0,
                lastAt: Int64(bitPattern: UInt64(bigEndianBytes: try txn.get(ArchiveKeys.lastAt, in: tables.meta) ?? []) ?? 0),
                lastFile: String(decoding: try txn.get(ArchiveKeys.lastFile, in: tables.meta) ?? [], as: UTF8.self))
        }
    }

    /// Finishes the deletions of a run that died after writing its file: every order in that file
    /// that is still in the store, unchanged, is removed now.
    func finishPending() async throws(StoreError) {
        let pending = try read { txn in try txn.get(ArchiveKeys.pending, in: tables.meta) }
        guard let pending else { return }
        let path = String(decoding: pending, as: UTF8.self)
        let orders = try await BlockingWork.run("som-archive") { () throws(StoreError) in try ArchiveFileReader.orders(in: path) }
        _ = try await deleteArchived(orders.map { (OrderNumber.number($0.orderID) ?? 0, $0.updatedAt) }, batchSize: 1000)
        _ = try await perform(weight: 1) { txn, tables, _ in try txn.delete(ArchiveKeys.pending, in: tables.meta) }
    }

    /// Removes archived orders, in transactions of `batchSize`, skipping any changed since archiving.
    private func deleteArchived(_ orders: [(number: UInt64, updatedAt: Timestamp?)], batchSize: Int) async throws(StoreError) -> Int {
        var deleted = 0
        var start = 0
        while start < orders.count {
            let slice = Array(orders[start..<min(start + batchSize, orders.count)])
            start += slice.count
            deleted += try await perform(weight: slice.count) { txn, tables, _ in
                var count = 0
                for (number, updatedAt) in slice {
                    guard let bytes = try txn.get(Keys.order(number), in: tables.orders),
                          let order = try? Order(decoding: bytes), order.status.isTerminal, order.updatedAt == updatedAt,
                          let request = order.request else { continue }
                    _ = try txn.delete(Keys.order(number), in: tables.orders)
                    let key = Keys.idempotency(request.sourceSystem, request.sourceRequestID)
                    if let owner = try txn.get(key, in: tables.idempotency), UInt64(bigEndianBytes: owner) == number {
                        _ = try txn.delete(key, in: tables.idempotency)
                    }
                    _ = try txn.delete(Keys.servicePoint(request.servicePointID, number), in: tables.byServicePoint)
                    if let next = order.nextCheckAt { _ = try txn.delete(Keys.due(next, number), in: tables.due) }
                    count += 1
                }
                return count
            }
        }
        return deleted
    }

    /// One page of archive candidates, read in one short read transaction, as JSON lines.
    private func archiveCandidates(after: UInt64, cutoff: Timestamp, limit: Int) throws(StoreError) -> ArchivePage {
        try read { txn in
            var page = ArchivePage(lastScanned: after)
            var scanned = 0
            try txn.scan(in: tables.orders, range: .from(Keys.order(after + 1))) { key, value in
                let number = UInt64(bigEndianBytes: key) ?? 0
                let order = try Order(decoding: value)
                // Ids grow with intake time: an order received after the cutoff cannot have
                // finished before it, and neither can any later one.
                if let received = order.receivedAt, received >= cutoff {
                    page.done = true
                    return .stop
                }
                page.lastScanned = number
                scanned += 1
                let finished = order.completedAt ?? order.updatedAt
                if order.status.isTerminal, let finished, finished < cutoff {
                    page.lines.append(#"{"order":"# + (try order.jsonString()) + "}")
                    page.orders.append((number, order.updatedAt))
                }
                return page.orders.count < limit && scanned < 8 * limit ? .continue : .stop
            }
            if page.lastScanned == after, !page.done { page.done = true }
            return page
        }
    }

    /// Events from `floor` up to (not including) the first at or after `cutoff`, or `newest`.
    private func archiveEvents(from floor: UInt64, below newest: UInt64, cutoff: Timestamp, limit: Int) throws(StoreError) -> ([String], UInt64) {
        try read { txn in
            var lines: [String] = []
            var next = floor
            try txn.scan(in: tables.events, range: .from(Keys.event(floor), upTo: Keys.event(newest))) { key, value in
                let event = try OrderEvent(decoding: value)
                if let at = event.at, at >= cutoff { return .stop }
                lines.append(#"{"event":"# + (try event.jsonString()) + "}")
                next = (UInt64(bigEndianBytes: key) ?? next) + 1
                return lines.count < limit ? .continue : .stop
            }
            return (lines, next)
        }
    }

    static func fileStamp(_ time: Timestamp) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time.seconds))) + "-\(UInt32.random(in: 0...UInt32.max))"
    }
}

/// One page of candidates.
struct ArchivePage: Sendable {
    var lines: [String] = []
    var orders: [(number: UInt64, updatedAt: Timestamp?)] = []
    var lastScanned: UInt64
    var done = false
}
