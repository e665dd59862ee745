import ArgumentParser
import Foundation
import SOMTransport
import SOMClient
import SOMCodec

/// `som-bench orders`: intake, reads and the event stream of the real store, over the socket.
struct OrdersBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orders",
        abstract: "Order intake (batch and unary), Get, List and Watch against a real somd with a durable store.",
        discussion: """
            Cases:
              ingest           SubmitBatch of --orders orders (random service points), durable, all indexes
              ingest_sorted    the same with orders sorted by service point, as billing runs often are
              submit_c1/c<N>   unary Submit, closed loop, 1 and --callers callers (group commit at work)
              get_c1/c<N>      unary Get of random stored orders, 1 and --callers callers
              list_sp          List by service point (one page of up to 100)
              watch_replay     Watch from sequence 1: events/s delivered while catching up
              watch_live       Watch from now while another stream ingests: events/s delivered live

            The ingest cases report the peak anonymous RSS of somd (heap, not the LMDB map).

            Examples:
              som-bench orders --orders 1000000
              som-bench orders --cases ingest --orders 200000 --json
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var timing: RunOptions

    @Option(name: .long, help: ArgumentHelp("Which cases (comma-separated): ingest, ingest_sorted, submit, get, list, watch.", valueName: "list"))
    var cases = "ingest,ingest_sorted,submit,get,list,watch"

    @Option(name: .long, help: "Orders per ingest case.")
    var orders = 1_000_000

    @Option(name: .long, help: "Orders per SubmitBatch chunk.")
    var chunk = 1000

    @Option(name: .long, help: "Concurrent callers of the parallel unary cases.")
    var callers = 64


    func validate() throws {
        guard orders >= 1 else { throw ValidationError("--orders must be at least 1") }
        guard (1...10_000).contains(chunk) else { throw ValidationError("--chunk must be 1...10000") }
        guard (1...1024).contains(callers) else { throw ValidationError("--callers must be 1...1024") }
        let known: Set = ["ingest", "ingest_sorted", "submit", "get", "list", "watch"]
        for name in selected where !known.contains(name) {
            throw ValidationError("unknown case \(name); known: \(known.sorted().joined(separator: ", "))")
        }
    }

    var selected: [String] { cases.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() async throws {
        TaskExecutor.useEventLoops()
        let report = try await BenchServer.run(server) { info in
            var report = GroupReport(group: "orders", server: info, run: timing)
            let runner = OrdersRunner(socket: info.socket, serverPID: info.pid, timing: timing, chunk: chunk, callers: callers)
            let selected = Set(self.selected)
            // Unary submits first, on the fresh store: after an ingest the server is still
            // evaluating that backlog, and every submit would queue behind it.
            if selected.contains("submit") {
                report.results.append(try await runner.submit(callers: 1))
                report.results.append(try await runner.submit(callers: callers))
            }
            if selected.contains("ingest") { report.results.append(try await runner.ingest(count: orders, sorted: false)) }
            if selected.contains("ingest_sorted") { report.results.append(try await runner.ingest(count: orders, sorted: true)) }
            if selected.contains("get") {
                report.results.append(try await runner.get(callers: 1))
                report.results.append(try await runner.get(callers: callers))
            }
            if selected.contains("list") { report.results.append(try await runner.listByServicePoint()) }
            if selected.contains("watch") {
                report.results.append(try await runner.watchReplay())
                report.results.append(try await runner.watchLive(count: min(orders, 200_000)))
            }
            return report
        }
        try report.emit(json: timing.json)
    }
}
