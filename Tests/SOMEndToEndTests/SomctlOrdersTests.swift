import Foundation
import Logging
import SOMClient
import SOMCodec
import SOMServer
import SOMStore
import SOMTestSupport
import SOMTransport
import Testing

/// The somctl built with this test binary (`<scratch>/debug/somctl`), so a build with its own
/// `--scratch-path` tests its own somctl; `.build/debug/somctl` otherwise.
let builtSomctl: String? = {
    let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var candidates = [CommandLine.arguments[0], executable].map {
        URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("somctl").path
    }
    candidates.append(PackagePaths.path(".build/debug/somctl"))
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

@Suite("somctl orders, devices and stats commands as a process", .enabled(if: builtSomctl != nil), .timeLimit(.minutes(5)))
struct SomctlOrdersTests {
    @Test("submit JSON Lines: local and server rejects map to their lines; resubmitting gives duplicates")
    func submitJSONLines() async throws {
        try await withFullServer { socket, directory in
            let cut = #""sourceSystem":"SOURCE_SYSTEM_CIS","orderType":"ORDER_TYPE_CUT_FOR_NON_PAYMENT""#
            let file = try directory.write("run.jsonl", [
                "# billing run 2025-06",
                #"{\#(cut),"sourceRequestId":"R-1","servicePointId":"SP-1"}"#,
                #"{\#(cut),"sourceRequestId":"R-1","servicePointId":"SP-1"}"#,
                "",
                #"{\#(cut),"sourceRequestId":"R-2","#,
                #"{\#(cut),"sourceRequestId":"R-3","servicePointId":"SP-3","colour":"red"}"#,
                #"{\#(cut),"sourceRequestId":"R-4"}"#,
                #"{\#(cut),"sourceRequestId":"R-5","servicePointId":"SP-5"}"#,
                #"{\#(cut),"sourceRequestId":"R-1","servicePointId":"SP-9"}"#,
            ])
            // Chunks of two: lines of later chunks must still map back correctly.
            let first = try await somctl(["submit", "--file", file, "--chunk-size", "2", "--json"], socket)
            #expect(first.status == 2, "\(first.stderr)")
            let summary = try JSONValue(parsing: first.stdout)
            #expect(summary["records"] == 7 && summary["sent"] == 5 && summary["accepted"] == 2)
            #expect(summary["duplicates"] == 1 && summary["rejected"] == 4 && summary["rejectedLocally"] == 2)

            let rejects = try rejectsByLine(file + ".rejected")
            #expect(rejects.keys.sorted() == [5, 6, 7, 9])
            #expect(rejects[5]?["field"] == "" && rejects[5]?["reason"]?.text?.contains("invalid JSON") == true)
            #expect(rejects[6]?["field"] == "colour" && rejects[6]?["reason"]?.text?.contains("unknown field") == true)
            #expect(rejects[7]?["field"] == "service_point_id")
            #expect(rejects[9]?["field"] == "source_request_id")
            #expect(rejects[6]?["input"]?.text?.contains(#""colour":"red""#) == true)

            let again = try await somctl(["submit", "--file", file, "--json"], socket)
            #expect(again.status == 2)
            let second = try JSONValue(parsing: again.stdout)
            #expect(second["accepted"] == 0 && second["duplicates"] == 3 && second["rejected"] == 4)

            // Nothing rejected: exit 0, and no rejects file is left behind.
            let clean = try directory.write("clean.jsonl", [#"{\#(cut),"sourceRequestId":"R-5","servicePointId":"SP-5"}"#])
            let duplicateOnly = try await somctl(["submit", "--file", clean], socket)
            #expect(duplicateOnly.status == 0, "\(duplicateOnly.stderr)")
            #expect(duplicateOnly.stdoutText.contains("duplicates 1, rejected 0"))
            #expect(!FileManager.default.fileExists(atPath: clean + ".rejected"))
        }
    }

    @Test("submit CSV: dotted nested fields, quoted multi-line cells, numbers; rejects carry the record's first line")
    func submitCSV() async throws {
        try await withFullServer { socket, directory in
            let file = try directory.write("run.csv", [
                "sourceSystem,source_request_id,orderType,servicePointId,contact.phone,collectionData.amountDueMinor,notes",
                #"SOURCE_SYSTEM_CIS,C-1,ORDER_TYPE_CUT_FOR_NON_PAYMENT,SP-1,+1 555 0100,1200,"two"#,
                #"lines, ""quoted""""#,
                "SOURCE_SYSTEM_CIS,C-1,ORDER_TYPE_CUT_FOR_NON_PAYMENT,SP-1,+1 555 0100,1200,\"two\nlines, \"\"quoted\"\"\"",
                "SOURCE_SYSTEM_CIS,C-2,ORDER_TYPE_CUT_FOR_NON_PAYMENT,SP-2,,lots,",
                "SOURCE_SYSTEM_CIS,C-3,ORDER_TYPE_CUT_FOR_NON_PAYMENT,SP-3",
                "SOURCE_SYSTEM_CIS,C-4,ORDER_TYPE_CUT_FOR_NON_PAYMENT,,,,",
                "SOURCE_SYSTEM_CIS,C-5,3,SP-5,,,",
            ], lineEnd: "\r\n")
            let result = try await somctl(["submit", "--file", file, "--json"], socket)
            #expect(result.status == 2, "\(result.stderr)")
            let summary = try JSONValue(parsing: result.stdout)
            #expect(summary["records"] == 6 && summary["accepted"] == 2 && summary["duplicates"] == 1 && summary["rejected"] == 3)

            let rejects = try rejectsByLine(file + ".rejected")
            #expect(rejects.keys.sorted() == [6, 7, 8])
            #expect(rejects[6]?["field"] == "collectionData.amountDueMinor")
            #expect(rejects[7]?["reason"]?.text?.contains("the header has 7") == true)
            #expect(rejects[8]?["field"] == "service_point_id")

            let orders = try await SOMClient(socketPath: socket).using {
                try await $0.list(ListOrdersRequest(servicePointID: "SP-1")).orders
            }
            let request = try #require(orders.first?.request)
            #expect(orders.count == 1 && request.notes == "two\nlines, \"quoted\"")
            #expect(request.contact?.phone == "+1 555 0100" && request.collectionData?.amountDueMinor == 1200)

            // A repeated field in the header is refused before anything is sent.
            let repeated = try directory.write("repeated.csv", ["servicePointId,serviceAgreements.accountId", "SP-1,A-1"])
            let refused = try await somctl(["submit", "--file", repeated], socket)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("serviceAgreements is a repeated field"), "\(refused.stderr)")
        }
    }

    @Test("get --json round-trips; list filters as table and JSON Lines; cancel twice is FAILED_PRECONDITION")
    func getListCancel() async throws {
        try await withFullServer { socket, _ in
            let submitted = try await SOMClient(socketPath: socket).using { client in
                var orders: [Order] = []
                // Dated a month ahead, so the orchestrator leaves them SCHEDULED while the test looks.
                let later = Timestamp.now().adding(.seconds(30 * 86_400))
                for (key, point, type) in [("G-1", "SP-1", OrderType.cutForNonPayment), ("G-2", "SP-2", .enableService), ("G-3", "SP-1", .offCycleRead)] {
                    orders.append(try #require(try await client.submit(ServiceOrderRequest(
                        sourceSystem: .cis, sourceRequestID: key, orderType: type, servicePointID: point, requestedAt: later)).order))
                }
                return orders
            }
            let id = submitted[0].orderID

            let json = try await somctl(["get", id, "--json"], socket)
            #expect(json.status == 0, "\(json.stderr)")
            let current = try await SOMClient(socketPath: socket).using { try await $0.order(id) }
            #expect(try Order(jsonString: json.stdoutText.trimmingCharacters(in: .newlines)) == current)
            #expect(current.request == submitted[0].request)
            let readable = try await somctl(["get", id], socket)
            #expect(readable.stdoutText.contains("CUT_FOR_NON_PAYMENT") && readable.stdoutText.contains("SP-1"))

            let table = try await somctl(["list", "--service-point", "SP-1"], socket)
            let rows = table.stdoutText.split(separator: "\n")
            #expect(rows.first?.hasPrefix("ID") == true && rows.first?.contains("SERVICE POINT") == true)
            #expect(rows.count == 3 && rows.dropFirst().allSatisfy { $0.contains("SP-1") })

            let cuts = try await somctl(["list", "--type", "CUT_FOR_NON_PAYMENT", "--status", "scheduled", "--json"], socket)
            let listed = try cuts.stdoutText.split(separator: "\n").map { try Order(jsonString: String($0)) }
            #expect(listed.map(\.orderID) == [id])
            let limited = try await somctl(["list", "--limit", "2", "--page-size", "1", "--json"], socket)
            #expect(limited.stdoutText.split(separator: "\n").count == 2)

            let cancelled = try await somctl(["cancel", id, "--reason", "paid at the counter", "--json"], socket)
            #expect(cancelled.status == 0, "\(cancelled.stderr)")
            #expect(try Order(jsonString: cancelled.stdoutText.trimmingCharacters(in: .newlines)).status == .cancelled)
            let again = try await somctl(["cancel", id], socket)
            #expect(again.status == 1)
            #expect(again.stderr.hasPrefix("error: FAILED_PRECONDITION: "), "\(again.stderr)")
            #expect(!again.stderr.contains("Fatal error"))
        }
    }

    @Test("watch --from 1 --count N --json prints the first N events and exits")
    func watchFromStart() async throws {
        try await withFullServer { socket, directory in
            let file = try directory.write("three.jsonl", (1...3).map {
                #"{"sourceSystem":"SOURCE_SYSTEM_MDM","sourceRequestId":"W-\#($0)","orderType":"ORDER_TYPE_OFF_CYCLE_READ","servicePointId":"SP-\#($0)"}"#
            })
            #expect(try await somctl(["submit", "--file", file], socket).status == 0)
            let json = try await somctl(["watch", "--from", "1", "--count", "3", "--json"], socket)
            #expect(json.status == 0, "\(json.stderr)")
            let events = try json.stdoutText.split(separator: "\n").map { try OrderEvent(jsonString: String($0)) }
            #expect(events.map(\.sequence) == [1, 2, 3] && events.allSatisfy { $0.type == .received })

            let text = try await somctl(["watch", "--from", "2", "--count", "1", "--service-point", "SP-3"], socket)
            #expect(text.status == 0)
            #expect(text.stderr.contains("watching from sequence 2"))
            #expect(text.stdoutText.hasPrefix("3  ") && text.stdoutText.contains("SP-3"))
        }
    }

    @Test("release of an order a re-check holds again at once says so, with the reason, instead of counting it released")
    func releaseHeldAgain() async throws {
        try await withFullServer { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, [ServicePointDevice(
                servicePointID: "SP-CARE", meterID: "M-CARE", technology: .smartWithSwitch, gatewayID: "GW-1", commissioned: true,
                supplyState: .connected, criticalCareUntil: Timestamp.now().adding(.seconds(86_400)))])
            let id = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "CARE-1", orderType: .cutForNonPayment, servicePointID: "SP-CARE"))
            _ = try await waitForOrder(client, id) { $0.status == .held }
            let result = try await somctl(["release", id, "--note", "asked by phone"], socket)
            let text = String(decoding: result.stdout, as: UTF8.self)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(text.contains("released 0 orders") && text.contains("\(id) held again at once (HOLD_REASON_CRITICAL_CARE)"), "\(text)")
        }
    }

    @Test("devices import then devices get; stats --json counts orders and devices")
    func devicesAndStats() async throws {
        try await withFullServer { socket, directory in
            let file = try directory.write("meters.jsonl", [
                #"{"servicePointId":"SP-7","meterId":"M-7","technology":"METER_TECHNOLOGY_SMART_WITH_SWITCH","gatewayId":"GW-1","region":"NORTH","lastReading":{"valueMilli":"1234567","unit":"kWh","readAt":"2025-06-01T00:00:00Z"}}"#,
                #"{"servicePointId":"SP-8","technology":"METER_TECHNOLOGY_SMART_WITH_SWITCH"}"#,
            ])
            let imported = try await somctl(["devices", "import", "--file", file, "--json"], socket)
            #expect(imported.status == 2, "\(imported.stderr)")
            let summary = try JSONValue(parsing: imported.stdout)
            #expect(summary["accepted"] == 1 && summary["rejected"] == 1)
            #expect(try rejectsByLine(file + ".rejected")[2]?["field"] == "meter_id")

            let json = try await somctl(["devices", "get", "SP-7", "--json"], socket)
            let device = try ServicePointDevice(jsonString: json.stdoutText.trimmingCharacters(in: .newlines))
            #expect(device.meterID == "M-7" && device.region == "NORTH" && device.lastReading?.valueMilli == 1_234_567)
            let readable = try await somctl(["devices", "get", "SP-7"], socket)
            #expect(readable.stdoutText.contains("1234.567 kWh"))
            let missing = try await somctl(["devices", "get", "SP-404"], socket)
            #expect(missing.status == 1 && missing.stderr.hasPrefix("error: NOT_FOUND: "))

            let stats = try await somctl(["stats", "--json"], socket)
            #expect(stats.status == 0, "\(stats.stderr)")
            let response = try StatsResponse(jsonString: stats.stdoutText.trimmingCharacters(in: .newlines))
            #expect(response.devicesTotal == 1 && response.ordersTotal == 0)
        }
    }

    @Test("a bad enum value is a usage error (exit 64) that lists the valid values")
    func badStatus() async throws {
        let result = try await somctl(["list", "--status", "finished"], "/tmp/som-unused.sock")
        #expect(result.status == 64)
        #expect(result.stderr.contains("invalid value 'finished' for --status"), "\(result.stderr)")
        #expect(result.stderr.contains("in-progress") && result.stderr.contains("cancelled"))
    }

    @Test("a pull by hand refuses a --wait that is not a positive number of seconds, before connecting", arguments: [
        ["gateways", "pull", "GW-1"], ["fieldwork", "pull"],
    ])
    func badPullWait(command: [String]) async throws {
        for wait in ["0", "-1", "nan"] {
            let result = try await somctl(command + ["--wait=\(wait)"], "/tmp/som-unused.sock")
            #expect(result.status == 64, "--wait \(wait): \(result.stderr)")
            #expect(result.stderr.contains("--wait must be a positive number of seconds"), "--wait \(wait): \(result.stderr)")
        }
    }
}

/// Runs somctl against `socket` on a thread of its own: the server under test answers on the
/// cooperative pool, which a blocking wait there could starve on a small machine.
private func somctl(_ arguments: [String], _ socket: String) async throws -> ProcessOutput {
    try await ProcessRunner.runOnThread(try #require(builtSomctl), arguments + ["--socket", socket])
}

/// The whole server over a real store, on a socket the somctl process may connect to (the
/// simulation harness without its simulator), plus a directory for the test's input files.
private func withFullServer(_ body: @Sendable (_ socket: String, _ directory: TemporaryDirectory) async throws -> Void) async throws {
    let files = try TemporaryDirectory(prefix: "som-ctl")
    defer { files.remove() }
    try await withSimulatedServer(simulate: false) { socket, _ in try await body(socket, files) }
}

/// The rejects file's entries by input line number.
private func rejectsByLine(_ path: String) throws -> [Int: JSONValue] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var entries: [Int: JSONValue] = [:]
    for line in text.split(separator: "\n") {
        let entry = try JSONValue(parsing: String(line))
        if case .number(let number)? = entry["line"], let value = Int(number) { entries[value] = entry }
    }
    return entries
}

extension TemporaryDirectory {
    /// Writes `lines` to a file in the directory and returns its path.
    fileprivate func write(_ name: String, _ lines: [String], lineEnd: String = "\n") throws -> String {
        let path = appending(name)
        try (lines.joined(separator: lineEnd) + lineEnd).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension JSONValue {
    fileprivate var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

extension SOMClient {
    fileprivate func using<T: Sendable>(_ body: (SOMClient) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }
}
