import ArgumentParser
import Foundation
import SOMLMDB
import SOMStore

/// `somd check`: a read-only consistency walk of a data directory.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a data directory: every page of every tree, then every index against its orders and the event log. Read-only; safe beside a running somd.",
        discussion: "Exit status: 0 when consistent, 1 when something is wrong (each problem on its own line), 2 when the directory cannot be read.")

    @Option(name: .long, help: ArgumentHelp("Data directory to check.", valueName: "dir"))
    var data: String = "./var/data"

    @Flag(name: .long, help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: data + "/data.mdb") else {
            FileHandle.standardError.write(Data("somd check: \(data) holds no data.mdb\n".utf8))
            throw ExitCode(2)
        }
        let report = StoreCheck(directory: data).run()
        var structureProblems: [String] = []
        var pages = 0
        if case .damaged(let problems) = report.structure { structureProblems = problems }
        if case .sound(let summary) = report.structure { pages = summary.pagesVisited }
        let problems = structureProblems + report.problems
        if json {
            let object: [String: Any] = [
                "data": data, "consistent": report.consistent, "pages": pages, "orders": report.orders,
                "index_entries": report.indexEntries, "events": report.events, "problems": problems,
            ]
            let bytes = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: bytes, as: UTF8.self))
        } else {
            for problem in problems { print("problem: \(problem)") }
            print("\(data): \(report.consistent ? "consistent" : "NOT consistent"): \(pages) pages, \(report.orders) orders, "
                + "\(report.indexEntries) index entries, \(report.events) events, \(problems.count) problem(s)")
        }
        if !report.consistent { throw ExitCode(1) }
    }
}
