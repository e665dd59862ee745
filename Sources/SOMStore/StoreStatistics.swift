import Foundation
import SOMLMDB

/// How the store is doing: sizes and group-commit effectiveness since it was opened.
public struct StoreStatistics: Sendable, Hashable {
    /// Transactions committed.
    public var commits: Int
    /// Records (orders, devices, updates) written by them.
    public var records: Int
    /// The current map size in bytes.
    public var mapSize: Int
    /// Bytes of the map in use (last page used × page size).
    public var usedBytes: Int
    /// Size of data.mdb on disk.
    public var fileBytes: Int = 0
    /// Bytes per page.
    public var pageSize: Int = 0
    /// Pages up to the last one in use.
    public var usedPages: Int = 0
    /// Pages below the last used one that belong to no tree: free for reuse by later commits.
    public var freePages: Int = 0
    /// Reader slots taken (by any process) and available.
    public var readersUsed: Int = 0, maxReaders: Int = 0
    /// How old the oldest snapshot still being read is; old snapshots stop page reuse.
    public var oldestReaderAge: Duration = .zero
    /// Every named database, largest first.
    public var databases: [DatabaseSize] = []

    /// One named database's size.
    public struct DatabaseSize: Sendable, Hashable {
        /// Its name in the environment.
        public var name: String
        /// Records (keys, and duplicates where kept).
        public var entries: Int
        /// Branch, leaf and overflow pages.
        public var pages: Int
    }

    /// Records per commit on average.
    public var meanCommitBatch: Double { commits == 0 ? 0 : Double(records) / Double(commits) }
}

extension OrderStore {
    /// Current statistics.
    public func statistics() throws(StoreError) -> StoreStatistics {
        let totals = writerTotals
        do {
            let info = try environment.info
            let main = try environment.stat
            let pageSize = main.pageSize
            var statistics = StoreStatistics(
                commits: totals.commits, records: totals.records, mapSize: info.mapSize,
                usedBytes: (info.lastPageNumber + 1) * pageSize)
            statistics.pageSize = pageSize
            statistics.usedPages = info.lastPageNumber + 1
            statistics.readersUsed = info.readersUsed
            statistics.maxReaders = info.maxReaders
            statistics.databases = try environment.read { txn in
                try tables.named.map { name, database in
                    let stat = try txn.stat(of: database)
                    return .init(name: name, entries: stat.entries, pages: stat.branchPages + stat.leafPages + stat.overflowPages)
                }
            }.sorted { ($0.pages, $1.name) > ($1.pages, $0.name) }
            let inTrees = statistics.databases.reduce(0) { $0 + $1.pages } + main.branchPages + main.leafPages + main.overflowPages
            // Two meta pages; the free-page list's own few pages count as free here.
            statistics.freePages = max(0, statistics.usedPages - 2 - inTrees)
            let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/data.mdb")
            statistics.fileBytes = (attributes?[.size] as? Int) ?? 0
            let snapshots = try environment.readers.compactMap(\.transactionID)
            if let oldest = snapshots.min() {
                statistics.oldestReaderAge = writer.commitTimes.age(ofSnapshot: oldest)
            }
            return statistics
        } catch {
            throw GroupCommitWriter.storeError(error, directory: directory)
        }
    }
}
