import ArgumentParser
import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport

/// `som-bench restart`: how long somd takes to serve again with many open orders in its store.
struct RestartBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Seconds from starting somd on a store with --orders open orders to serving, and to the first command handed to a gateway.",
        discussion: """
            Starts somd, loads smart meters, submits --orders orders with no gateway adapter attached (so
            every order is evaluated and waits IN_PROGRESS with a queued command), waits until none is
            RECEIVED, stops somd with SIGTERM, and starts it again on the same data directory. It reports
            the time to a SERVING Health answer, the time until a gateway's pull gets its first batch
            (the queues are rebuilt from the open orders), and the data file's bytes per order.

            Examples:
              som-bench restart --orders 100000
              som-bench restart --orders 1000000 --json
            """)

    @Option(name: .long, help: ArgumentHelp("The somd executable (default: the one next to som-bench).", valueName: "path"))
    var somd: String?

    @Option(help: "Open orders in the store at the restart.")
    var orders = 100_000

    @Option(help: "Simulated gateways (the orders' commands are spread over them).")
    var gateways = 4

    @Option(help: "Seconds to wait for the orders to be evaluated, and for the restarted somd to serve.")
    var timeout: Double = 900

    @Flag(name: .long, help: "Print the results as JSON on stdout (the table goes to stderr).")
    var json = false

    func validate() throws {
        guard orders >= 1, (1...1000).contains(gateways), timeout > 0 else {
            throw ValidationError("--orders must be positive, --gateways 1...1000, --timeout > 0")
        }
    }

    func run() async throws {
        TaskExecutor.useEventLoops()
        let executable = try BenchServer.locateSomd(somd)
        let limit = Duration.milliseconds(Int64(timeout * 1000))
        let first = try SomdProcess.start(executable: executable)
        let directory = first.directory
        var firstStopped = false
        defer { if !firstStopped { first.stop() } }
        _ = try await Readiness.waitUntilServing(socketPath: first.socketPath, timeout: .seconds(30)) { first.ended }
        let client = SOMClient(socketPath: first.socketPath)
        progress("loading \(orders) devices")
        try await BenchWorkload.loadDevices(client, count: orders, gateways: BenchWorkload.gatewayIDs(gateways))
        progress("submitting \(orders) orders")
        let accepted = try await BenchWorkload.submit(client, orders: orders, devices: orders, tag: OrdersRunner.tag())
        progress("waiting for \(accepted) first evaluations")
        let deadline = ContinuousClock.now + limit
        while try await received(client) > 0 {
            guard ContinuousClock.now < deadline else { throw BenchError("orders still RECEIVED after \(timeout) s") }
            try await Task.sleep(for: .milliseconds(200))
        }
        let open = try await client.stats().ordersByStatus.filter { !$0.status.isFinished }.reduce(0) { $0 + $1.count }
        await client.close()
        if let problem = first.stop(keep: true) { throw BenchError(problem) }
        firstStopped = true
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: directory + "/data/data.mdb")[.size] as? Int) ?? 0

        progress("restarting with \(open) open orders")
        let spawned = ContinuousClock.now
        let second = try SomdProcess.start(executable: executable, directory: directory)
        defer { second.stop() }
        let health = try await Readiness.waitUntilServing(socketPath: second.socketPath, timeout: limit) { second.ended }
        let serving = ContinuousClock.now - spawned
        let adapter = SOMClient(socketPath: second.socketPath)
        defer { Task { await adapter.close() } }
        let pull = try await adapter.pullCommands(PullCommandsRequest(gatewayID: "GW-01", maxBatch: 1, leaseMs: 600_000))
        for try await batch in pull where !batch.commands.isEmpty { break }
        let firstCommand = ContinuousClock.now - spawned
        // somd's own account of the rebuild's phases.
        for line in second.logTail(lines: 40).split(separator: "\n")
        where line.contains("queues rebuilt") || line.contains("guardrail window rebuilt") {
            progress("somd: " + line)
        }

        let server = ServerInfo(socket: second.socketPath, version: health.version, pid: health.pid, startedByBench: true)
        var report = GroupReport(group: "restart", server: server, run: try RunOptions.parse([]))
        for (name, what, elapsed) in [
            ("restart_serving", "start → Health SERVING with \(open) open orders", serving),
            ("restart_first_command", "start → first command pulled by a gateway", firstCommand),
        ] {
            let seconds = elapsed.seconds
            report.results.append(CaseResult(
                name: name, description: what, unit: "orders", operations: open, elapsedSeconds: seconds,
                perSecond: Double(open) / seconds, payloadMBPerSecond: nil, latencyUs: nil))
        }
        progress(String(format: "serving after %.2f s, first command after %.2f s", serving.seconds, firstCommand.seconds))
        progress("data file: \(fileBytes) bytes, \(open > 0 ? fileBytes / Int(open) : 0) bytes per open order (with its device and events)")
        try report.emit(json: json)
    }

    func received(_ client: SOMClient) async throws -> UInt64 {
        try await client.stats().ordersByStatus.first { $0.status == .received }?.count ?? 0
    }
}

extension OrderStatus {
    /// Finished for good: nothing more will happen to the order.
    var isFinished: Bool { [.completed, .failed, .cancelled, .superseded, .rejected].contains(self) }
}
