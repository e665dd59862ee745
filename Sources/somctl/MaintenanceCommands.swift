import ArgumentParser
import Foundation
import SOMClient
import SOMCodec
import SOMTransport

/// Long maintenance calls wait this long for the server (a backup of millions of orders takes a while).
private let maintenanceCall = CallOptions(timeout: .seconds(3600))

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a consistent, compacted, verified copy of the store while somd serves.",
        discussion: """
            somd writes the copy itself, so DIR is a directory on the server's host (relative paths \
            are taken from the current directory); it must not hold a data.mdb yet. Everything \
            acknowledged before the backup began is in the copy. Restore with `somd restore --from DIR`.

            Examples:
              somctl backup --to /var/backups/som/2026-12-07
              somctl backup --to ./backup --json
            """)

    @Option(help: ArgumentHelp("Directory for the copy (created if missing).", valueName: "dir"))
    var to: String

    @Flag(help: "Print canonical proto3 JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let destination = URL(fileURLWithPath: to).standardizedFileURL.path
            FileHandle.standardError.write(Data("backing up into \(destination) ...\n".utf8))
            let result = try await connection.client().using { try await $0.backup(to: destination, options: maintenanceCall) }
            if json {
                print(try result.jsonString())
            } else {
                print("backup: \(result.orders) orders, \(Stats.bytes(result.bytes)) in \(result.destination) "
                    + "(transaction \(result.transactionID), \(result.durationMs) ms, verified)")
            }
        }
    }
}

struct Archive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move finished orders older than an age to an archive file now, and trim old events.",
        discussion: """
            somd does this on its own every 10 minutes for orders older than --retain-finished-days. \
            The file (gzip, JSON Lines of {"order":{...}} and {"event":{...}} in canonical proto3 JSON) \
            goes to somd's --archive-dir; read it with zcat.

            Examples:
              somctl archive --older-than 90d
              somctl archive --older-than 12h --json
            """)

    @Option(name: .customLong("older-than"), help: ArgumentHelp("Age: a number with d, h, m or s (90d, 36h, 30m, 45s).", valueName: "age"))
    var olderThan: String

    @Flag(help: "Print canonical proto3 JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws { _ = try Self.seconds(olderThan) }

    static func seconds(_ text: String) throws -> UInt64 {
        let units: [Character: UInt64] = ["d": 86_400, "h": 3_600, "m": 60, "s": 1]
        guard let last = text.last else { throw ValidationError("--older-than needs an age such as 90d") }
        let (digits, unit) = units[last].map { (text.dropLast(), $0) } ?? (Substring(text), 1)
        guard let value = UInt64(digits), value.multipliedReportingOverflow(by: unit).overflow == false else {
            throw ValidationError("--older-than \(text): expected a number with d, h, m or s, e.g. 90d")
        }
        return value * unit
    }

    func run() async throws {
        try await reportingFailures {
            let seconds = try Self.seconds(olderThan)
            let result = try await connection.client().using { try await $0.archive(olderThanSeconds: seconds, options: maintenanceCall) }
            if json {
                print(try result.jsonString())
            } else if result.file.isEmpty {
                print("archive: nothing finished before \(olderThan) ago; event floor \(result.eventFloor)")
            } else {
                print("archive: \(result.ordersArchived) orders and \(result.eventsTrimmed) events into \(result.file) "
                    + "(\(result.durationMs) ms); event floor now \(result.eventFloor)")
            }
        }
    }
}
