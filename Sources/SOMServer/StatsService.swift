import SOMEngine
import SOMCodec
import SOMRPC
import SOMStore

/// `som.v1.Admin/Stats`: what `somctl stats` shows.
struct StatsService: Sendable {
    let store: OrderStore
    let connections: @Sendable () -> Int
    let calls: @Sendable () -> UInt64

    func register(in router: inout Router) {
        router.unary(AdminService.name, "Stats") { (_: StatsRequest, _) in try stats() }
    }

    func stats() throws -> StatsResponse {
        let counts = try store.counts()
        let statistics = try store.statistics()
        let archive = try store.archiveTotals()
        return StatsResponse(
            ordersTotal: UInt64(counts.orders),
            ordersByStatus: counts.openByStatus.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                StatusCount(status: $0.key, count: UInt64($0.value))
            },
            eventsHead: store.head.current,
            connections: UInt64(connections()),
            callsTotal: calls(),
            storeBytes: UInt64(statistics.usedBytes),
            mapSizeBytes: UInt64(statistics.mapSize),
            commits: UInt64(statistics.commits),
            meanCommitBatch: statistics.meanCommitBatch,
            devicesTotal: UInt64(counts.devices),
            fileBytes: UInt64(statistics.fileBytes),
            pageSize: UInt32(statistics.pageSize),
            usedPages: UInt64(statistics.usedPages),
            freePages: UInt64(statistics.freePages),
            readersUsed: UInt32(statistics.readersUsed),
            maxReaders: UInt32(statistics.maxReaders),
            oldestReaderAgeMs: UInt64(statistics.oldestReaderAge / .milliseconds(1)),
            largestDatabases: statistics.databases.map {
                DatabaseSize(name: $0.name, entries: UInt64($0.entries), pages: UInt64($0.pages), bytes: UInt64($0.pages * statistics.pageSize))
            },
            eventFloor: try store.eventFloor(),
            archiveRuns: archive.runs,
            ordersArchived: archive.orders,
            lastArchiveAt: archive.lastAt > 0 ? Timestamp(seconds: archive.lastAt, nanos: 0) : nil,
            lastArchiveFile: archive.lastFile)
    }
}
