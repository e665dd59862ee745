import ArgumentParser
import Foundation
import SOMClient
import SOMCodec

struct Stats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show order counts, the event head, devices, connections and store figures.",
        discussion: """
            --json prints the som.v1.StatsResponse in canonical proto3 JSON (64-bit counts as \
            strings).

            Examples:
              somctl stats
              somctl stats --json
            """)

    @Flag(help: "Print canonical proto3 JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let stats = try await connection.client().using { try await $0.stats(options: connection.unary) }
            let out = StandardOutput()
            if json {
                out.line(try stats.jsonString())
            } else {
                Self.lines(stats).forEach(out.line)
            }
            out.flush()
        }
    }

    static func lines(_ stats: StatsResponse) -> [String] {
        var view = LabelledLines()
        view.add("orders", String(stats.ordersTotal))
        view.add("events head", String(stats.eventsHead))
        view.add("devices", String(stats.devicesTotal))
        view.add("connections", String(stats.connections))
        if stats.callsTotal > 0 { view.add("calls", String(stats.callsTotal)) }
        view.add("store", "\(bytes(stats.storeBytes)) used of a \(bytes(stats.mapSizeBytes)) map; file \(bytes(stats.fileBytes))")
        view.add("pages", "\(stats.usedPages) used, \(stats.freePages) free for reuse (\(stats.pageSize) B each)")
        view.add("readers", "\(stats.readersUsed) of \(stats.maxReaders) slots; oldest snapshot \(millis(stats.oldestReaderAgeMs)) old")
        view.add("event floor", String(stats.eventFloor))
        if stats.archiveRuns > 0 {
            view.add("archive", "\(stats.ordersArchived) orders in \(stats.archiveRuns) runs; last \(stats.lastArchiveFile)")
        }
        view.add("commits", "\(stats.commits) (mean batch \(String(format: "%.1f", stats.meanCommitBatch)))")
        if !stats.largestDatabases.isEmpty {
            view.append("largest databases:")
            for database in stats.largestDatabases.prefix(4) {
                view.append("  \(database.name): \(database.entries) entries, \(bytes(database.bytes))")
            }
        }
        view.append("open orders by status:")
        if stats.ordersByStatus.isEmpty { view.append("  none") }
        let width = stats.ordersByStatus.map(\.status.displayName.count).max() ?? 0
        for count in stats.ordersByStatus {
            let name = count.status.displayName
            view.append("  \(name)\(String(repeating: " ", count: width - name.count))  \(count.count)")
        }
        return view.lines
    }

    static func millis(_ value: UInt64) -> String {
        value < 1000 ? "\(value) ms" : String(format: "%.1f s", Double(value) / 1000)
    }

    static func bytes(_ count: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}
