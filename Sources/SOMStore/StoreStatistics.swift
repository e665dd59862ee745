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

    /// Records per commit on average.
    public var meanCommitBatch: Double { commits == 0 ? 0 : Double(records) / Double(commits) }
}

extension OrderStore {
    /// Current statistics.
    public func statistics() throws(StoreError) -> StoreStatistics {
        let totals = writerTotals
        do {
            let info = try environment.info
            let pageSize = try environment.stat.pageSize
            return StoreStatistics(
                commits: totals.commits, records: totals.records, mapSize: info.mapSize,
                usedBytes: (info.lastPageNumber + 1) * pageSize)
        } catch {
            throw GroupCommitWriter.storeError(error)
        }
    }
}
