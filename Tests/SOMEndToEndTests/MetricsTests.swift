import Foundation
import SOMClient
import SOMCodec
import SOMTestSupport
import Testing

/// somd's `/metrics` as Prometheus sees it: scraped over HTTP, parsed by the reference parser.
@Suite("somd's Prometheus metrics", .timeLimit(.minutes(5)),
       .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason),
       .enabled(if: MetricsScrape.python != nil, MetricsScrape.missingPython))
struct MetricsTests {
    /// Every family somd exports from its first scrape on (gauges sampled at scrape time, and the
    /// instruments made at start); docs/operations.md lists them, packaging/grafana/som.json plots them.
    static let alwaysThere = [
        "som_connections", "som_store_map_size_bytes", "som_store_used_pages", "som_store_free_pages",
        "som_store_page_size_bytes", "som_store_file_bytes", "som_store_used_bytes", "som_store_readers",
        "som_store_oldest_reader_age_seconds", "som_orders_stored", "som_fieldwork_queued", "som_fieldwork_in_flight",
        "som_guardrail_window_disconnects", "som_guardrail_window_limit", "som_guardrail_gateway_window_limit",
        "som_events_head_sequence", "som_events_retention_floor_sequence",
        "som_store_commits", "som_store_records", "som_store_commit_records", "som_store_commit_duration_seconds",
        "som_store_commit_sync_seconds", "som_store_commit_failures",
    ]

    /// Families that appear once there is something to count (a call, a gateway, a watcher, a finished order).
    static let withActivity = [
        "som_rpc_calls", "som_rpc_call_duration_seconds", "som_orders_open", "som_orders_held", "som_orders_finished",
        "som_gateway_queued_commands", "som_gateway_ready_commands", "som_gateway_in_flight_commands",
        "som_gateway_commands_dispatched", "som_gateway_lease_expiries", "som_gateway_dead_letters",
        "som_gateway_command_retries", "som_gateway_command_results", "som_gateway_command_duration_seconds",
        "som_fieldwork_dispatched", "som_fieldwork_completed", "som_fieldwork_not_done", "som_fieldwork_lease_expiries",
        "som_fieldwork_dead_letters", "som_guardrail_gateway_window_disconnects", "som_watchers", "som_watcher_lag_events",
    ]

    /// Every family somd can export (counters without their `_total`, as the parser names them).
    static let allFamilies = Set(alwaysThere + withActivity)

    /// The family a sample or query name belongs to.
    static func family(_ name: String) -> String {
        for suffix in ["_bucket", "_count", "_sum", "_total"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if allFamilies.contains(base) { return base }
        }
        return name
    }

    @Test("packaging/grafana/som.json parses and every query names a metric somd exports")
    func grafanaDashboard() throws {
        let data = try #require(FileManager.default.contents(atPath: PackagePaths.path("packaging/grafana/som.json")))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 10)
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= panels.count)
        let named = try Regex("som_[a-z_]+")
        var used = Set<String>()
        for expression in expressions {
            let names = expression.matches(of: named).map { String(expression[$0.range]) }
            #expect(!names.isEmpty, "query names no som metric: \(expression)")
            for name in names {
                #expect(Self.allFamilies.contains(Self.family(name)), "\(name) in \(expression) is not a metric somd exports")
                used.insert(Self.family(name))
            }
        }
        // Each family the issue asks for has a panel.
        for wanted in ["som_rpc_calls", "som_store_commit_sync_seconds", "som_orders_held", "som_orders_finished",
                       "som_gateway_dead_letters", "som_gateway_command_duration_seconds", "som_fieldwork_queued",
                       "som_guardrail_window_disconnects", "som_events_retention_floor_sequence", "som_watcher_lag_events", "som_connections"] {
            #expect(used.contains(wanted), "no panel shows \(wanted)")
        }
    }

    @Test("after N orders submitted the RPC, store and order figures moved by N, and every family parses")
    func countersMoveWithWork() async throws {
        let directory = try TemporaryDirectory(prefix: "som-metrics")
        defer { directory.remove() }
        let port = try await MetricsScrape.freePort()
        let somd = try SomdProcess.launch(
            binary: try #require(SomdBinary.path), socketPath: directory.appending("som.sock"),
            dataPath: directory.appending("data"), logPath: directory.appending("somd.log"),
            extraArguments: ["--metrics-listen", "127.0.0.1:\(port)"])
        defer { somd.stop() }
        try await somd.waitUntilServing()
        let url = "http://127.0.0.1:\(port)/metrics"
        let before = try MetricsScrape.fetch(url)
        #expect(before.contentType.hasPrefix("text/plain; version=0.0.4"))
        for family in Self.alwaysThere {
            #expect(before.families[family] != nil, "\(family) missing from the first scrape")
        }

        let n = 7
        let client = SOMClient(socketPath: somd.socketPath)
        for index in 0..<n {
            _ = try await client.submit(ServiceOrderRequest(
                sourceSystem: .cis, sourceRequestID: "M-\(index)", orderType: .offCycleRead, servicePointID: "SP-M\(index)"))
        }
        // Also an error: a status code other than OK is counted under its own label.
        await #expect(throws: (any Error).self) { _ = try await client.order("SO999999999999") }
        await client.close()

        let after = try MetricsScrape.fetch(url)
        for family in after.families.keys where family.hasPrefix("som_") {
            #expect(Self.allFamilies.contains(family), "\(family) is exported but not listed (docs, dashboard test)")
        }
        let submit = ["method": "/som.v1.Orders/Submit", "code": "OK"]
        #expect(after.value("som_rpc_calls_total", submit) - before.value("som_rpc_calls_total", submit) == Double(n))
        #expect(after.families["som_rpc_calls"] == "counter")
        #expect(after.families["som_rpc_call_duration_seconds"] == "histogram")
        let submitLatency = ["method": "/som.v1.Orders/Submit"]
        #expect(after.value("som_rpc_call_duration_seconds_count", submitLatency)
                - before.value("som_rpc_call_duration_seconds_count", submitLatency) == Double(n))
        #expect(after.value("som_rpc_calls_total", ["method": "/som.v1.Orders/Get", "code": "NOT_FOUND"]) == 1)
        #expect(after.value("som_orders_stored") - before.value("som_orders_stored") == Double(n))
        // Each acknowledged order is one record at least (its events are more); commits happened.
        #expect(after.value("som_store_records_total") - before.value("som_store_records_total") >= Double(n))
        #expect(after.value("som_store_commits_total") > before.value("som_store_commits_total"))
        #expect(after.value("som_store_commit_sync_seconds_count") == after.value("som_store_commits_total"))
        #expect(after.value("som_events_head_sequence") > before.value("som_events_head_sequence"))
        #expect(after.value("som_connections") >= 0)
        // A page and a wrong method are refused by HTTP status, not served.
        let wrong = try ProcessRunner.run(
            try #require(MetricsScrape.python), ["-c", "import urllib.request,sys\ntry:\n urllib.request.urlopen(sys.argv[1])\nexcept Exception as e:\n print(e.code)", "http://127.0.0.1:\(port)/other"])
        #expect(wrong.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "404")
    }

    @Test("--metrics-listen refuses an address that is not HOST:PORT")
    func badAddress() throws {
        let result = try ProcessRunner.run(try #require(SomdBinary.path), ["--metrics-listen", "localhost", "--data", "/nonexistent"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--metrics-listen"))
    }
}
