import ArgumentParser
import Foundation
import SOMClient
import SOMCodec
import SOMTransport

/// `som-bench e2e`: orders from submit to COMPLETED through somsim (zero latency, no failures).
struct EndToEndBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Orders/s from submit to COMPLETED through somsim, and the p50/p99 time from receipt to completion.",
        discussion: """
            Starts somd (as the other groups do) and somsim next to it with zero latency and no failures,
            loads --devices smart meters with remote switches, submits --orders orders (disable, enable,
            reconnect, off-cycle read: every one completes remotely through a gateway) in one SubmitBatch
            stream, and waits until none is open. Completion times come from the orders themselves
            (completed_at - received_at).

            Closed loop (the default) sends as fast as the server takes them: the figure is throughput.
            Open loop (--rate N) offers N orders/s steadily, in small chunks on a fixed schedule, whatever
            the server does: the figure is the completion time at that load (a server that falls behind
            shows it as growing p99, not as a slower sender).

            Examples:
              som-bench e2e
              som-bench e2e --orders 50000 --gateways 8 --json
              som-bench e2e --orders 100000 --rate 10000
            """)

    @OptionGroup var server: ServerOptions
    @OptionGroup var timing: RunOptions

    @Option(help: "Service points (one smart meter each).")
    var devices = 20_000

    @Option(help: "Orders to carry out.")
    var orders = 20_000

    @Option(help: "Simulated gateways.")
    var gateways = 4

    @Option(help: "Seconds to wait for every order to finish.")
    var timeout: Double = 600

    @Option(help: "Open loop: offer this many orders per second steadily (default: closed loop, as fast as taken).")
    var rate: Int?

    func validate() throws {
        guard devices >= 1, orders >= 1, (1...1000).contains(gateways), timeout > 0 else {
            throw ValidationError("--devices and --orders must be positive, --gateways 1...1000, --timeout > 0")
        }
        if let rate, !(1...1_000_000).contains(rate) { throw ValidationError("--rate must be 1...1000000 orders/s") }
    }

    func run() async throws {
        TaskExecutor.useEventLoops()
        let report = try await BenchServer.run(server) { info in
            let simulator = try startSimulator(socket: info.socket)
            defer {
                simulator.terminate()
                simulator.waitUntilExit()
            }
            return try await measure(info)
        }
        try report.emit(json: timing.json)
    }

    func startSimulator(socket: String) throws -> Process {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("somsim").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchError("no somsim next to som-bench (looked for \(path)); build it with the same --scratch-path")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--socket", socket, "--gateway-count", String(gateways), "--crews", "2", "--latency-ms", "0", "--travel-ms", "0",
            "--work-ms", "0", "--transient-rate", "0", "--permanent-rate", "0", "--unknown-rate", "0", "--safety-rate", "0",
            "--not-done-rate", "0", "--report-every", "0", "--batch", "500",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func measure(_ info: ServerInfo) async throws -> GroupReport {
        let client = SOMClient(socketPath: info.socket)
        defer { Task { await client.close() } }
        progress("loading \(devices) devices")
        try await BenchWorkload.loadDevices(client, count: devices, gateways: BenchWorkload.gatewayIDs(gateways))
        progress("submitting \(orders) orders" + (rate.map { " at \($0)/s" } ?? ""))
        let before = try await client.stats()
        let started = ContinuousClock.now
        let accepted = try await BenchWorkload.submit(
            client, orders: orders, devices: devices, tag: OrdersRunner.tag(), rate: rate, started: started)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        var open = UInt64.max
        while ContinuousClock.now < deadline {
            let stats = try await client.stats()
            open = stats.ordersByStatus.reduce(0) { $0 + $1.count }
            if open == 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let elapsed = ContinuousClock.now - started
        guard open == 0 else { throw BenchError("\(open) orders still open after \(timeout) s") }
        let after = try await client.stats()

        var latencies = LatencyHistogram()
        var completed = 0
        var request = ListOrdersRequest(pageSize: 1000)
        repeat {
            let page = try await client.list(request)
            for order in page.orders {
                guard order.status == .completed, let received = order.receivedAt, let done = order.completedAt else { continue }
                completed += 1
                let nanos = (done.seconds - received.seconds) * 1_000_000_000 + Int64(done.nanos - received.nanos)
                latencies.record(nanoseconds: UInt64(max(0, nanos)))
            }
            request.pageToken = page.nextPageToken
        } while !request.pageToken.isEmpty
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var report = GroupReport(group: "e2e", server: info, run: timing)
        report.results.append(CaseResult(
            name: rate.map { "e2e-open-\($0)" } ?? "e2e",
            description: "\(accepted) orders submit → COMPLETED through somsim (\(gateways) gateways, 0 latency"
                + (rate.map { ", offered at \($0)/s" } ?? "") + "); \(completed) completed; "
                + Self.storeWork(before: before, after: after, orders: accepted),
            unit: "orders", operations: UInt64(completed), elapsedSeconds: seconds, perSecond: Double(completed) / seconds,
            payloadMBPerSecond: nil, latencyUs: LatencySummary(latencies)))
        return report
    }

    /// What the run cost the store per order: commits and events (one per durable step), and the
    /// number of commits over the run, so a change in steps per order shows in the report.
    static func storeWork(before: StatsResponse, after: StatsResponse, orders: Int) -> String {
        let commits = after.commits - before.commits
        let events = after.eventsHead - before.eventsHead
        let perOrder = { (count: UInt64) in String(format: "%.2f", Double(count) / Double(max(1, orders))) }
        return "\(commits) commits (\(perOrder(commits * 1000)) per 1000 orders), \(perOrder(events)) events per order"
    }
}
