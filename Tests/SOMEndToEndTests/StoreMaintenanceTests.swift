import Foundation
import SOMClient
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMStore
import SOMTestSupport
import SOMTransport
import Testing

/// Backup, restore and archive against real servers and real files.
@Suite("Store maintenance: online backup, restore, archive", .timeLimit(.minutes(4)))
struct StoreMaintenanceTests {
    @Test("a backup taken during a billing run holds every order acknowledged before it began; a server started on the restored copy serves them",
          .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
    func backupDuringIngest() async throws {
        let directory = try TemporaryDirectory(prefix: "som-backup")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let somd = try SomdProcess.launch(binary: binary, socketPath: directory.appending("som.sock"), dataPath: directory.appending("data"), logPath: directory.appending("somd.log"))
        defer { somd.stop() }
        try await somd.waitUntilServing()
        let client = SOMClient(socketPath: somd.socketPath)
        let acknowledged = Acknowledged()
        let ingest = Task {
            let call = try await client.submitBatch()
            async let results: Void = {
                for try await result in call.responses {
                    acknowledged.add(result.items.filter { $0.disposition == .accepted }.map(\.orderID))
                }
            }()
            for chunk in 0..<60 {
                let requests = (0..<500).map { orderRequest("bk-\(chunk)-\($0)", servicePoint: "SP-\(($0 * 7919 + chunk) % 5000)") }
                try await call.send(SubmitBatchChunk(chunkID: UInt64(chunk), requests: requests))
            }
            call.finishSending()
            try await results
        }
        // Start the backup once the run is well under way.
        while acknowledged.count < 5_000 { try await Task.sleep(for: .milliseconds(5)) }
        let before = acknowledged.snapshot
        let backupDirectory = directory.appending("backup")
        let backup = try await client.backup(to: backupDirectory, options: CallOptions(timeout: .seconds(120)))
        try await ingest.value
        #expect(backup.orders >= UInt64(before.count))
        #expect(backup.bytes > 0 && backup.destination == backupDirectory)
        #expect(!FileManager.default.fileExists(atPath: backupDirectory + "/lock.mdb"))
        let mode = try FileManager.default.attributesOfItem(atPath: backupDirectory + "/data.mdb")[.posixPermissions] as? Int
        #expect(mode == 0o600, "the copy of every customer's data is readable beyond somd's user: \(String(mode ?? 0, radix: 8))")
        await client.close()

        // A backup into a directory that already holds one is refused.
        await #expect(throws: RPCError.self) {
            let again = SOMClient(socketPath: somd.socketPath)
            defer { Task { await again.close() } }
            _ = try await again.backup(to: backupDirectory)
        }

        // Restore refuses the live store, then restores into a fresh directory.
        let live = try await runSomd(binary, ["restore", "--from", backupDirectory, "--data", directory.appending("data")])
        #expect(live.status == 2 && live.output.contains("in use"), "\(live)")
        let restoredData = directory.appending("restored")
        let restore = try await runSomd(binary, ["restore", "--from", backupDirectory, "--data", restoredData])
        #expect(restore.status == 0, "\(restore)")
        let twice = try await runSomd(binary, ["restore", "--from", backupDirectory, "--data", restoredData])
        #expect(twice.status == 2 && twice.output.contains("--replace"), "\(twice)")

        let restored = try SomdProcess.launch(binary: binary, socketPath: directory.appending("restored.sock"), dataPath: restoredData, logPath: directory.appending("restored.log"))
        defer { restored.stop() }
        try await restored.waitUntilServing()
        let reader = SOMClient(socketPath: restored.socketPath)
        let stats = try await reader.stats()
        #expect(stats.ordersTotal == backup.orders)
        for id in before.shuffled().prefix(200) {
            let order = try await reader.order(id)
            #expect(order.orderID == id)
        }
        await reader.close()
    }

    @Test("archive cycles keep data.mdb bounded while the archive files hold every finished order exactly once",
          .enabled(if: SomsimBinary.path != nil, "somsim is not built next to somd"))
    func archiveSoak() async throws {
        // Events of the guardrail's window always stay; a window of zero lets every cycle trim its events.
        var policy = OrchestrationPolicy.standard
        policy.guardrail.window = .zero
        try await withSimulatedServer(policy: policy) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let servicePoints = 400
            let devices = (0..<servicePoints).map {
                ServicePointDevice(servicePointID: "SP-\($0)", meterID: "M-\($0)", technology: .smartWithSwitch, gatewayID: "GW-0\($0 % 2 + 1)", commissioned: true, supplyState: .connected)
            }
            let upsert = try await client.upsertDevices()
            try await upsert.send(UpsertDevicesChunk(chunkID: 1, devices: devices))
            upsert.finishSending()
            for try await result in upsert.responses { #expect(result.rejected == 0) }

            var submitted = Set<String>()
            var sizes: [Int] = []
            var files: [String] = []
            let cycles = 5, perCycle = 800
            for cycle in 0..<cycles {
                let call = try await client.submitBatch()
                async let results: [String] = {
                    var ids: [String] = []
                    for try await result in call.responses { ids += result.items.filter { $0.disposition == .accepted }.map(\.orderID) }
                    return ids
                }()
                for chunk in 0..<(perCycle / 200) {
                    let requests = (0..<200).map {
                        orderRequest("soak-\(cycle)-\(chunk)-\($0)", servicePoint: "SP-\(($0 + chunk * 200) % servicePoints)", type: .offCycleRead)
                    }
                    try await call.send(SubmitBatchChunk(chunkID: UInt64(chunk), requests: requests))
                }
                call.finishSending()
                submitted.formUnion(try await results)
                // Wait (bounded) until every order of the cycle has finished.
                let deadline = ContinuousClock.now + .seconds(90)
                while ContinuousClock.now < deadline {
                    let open = try await client.stats().ordersByStatus.reduce(0) { $0 + $1.count }
                    if open == 0 { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let archive = try await client.archive(olderThanSeconds: 0, options: CallOptions(timeout: .seconds(60)))
                #expect(archive.ordersArchived == UInt64(perCycle), "cycle \(cycle): \(archive)")
                if !archive.file.isEmpty { files.append(archive.file) }
                let stats = try await client.stats()
                #expect(stats.ordersTotal == 0, "cycle \(cycle): \(stats.ordersTotal) orders left after archiving")
                #expect(stats.eventFloor > 1)
                sizes.append(Int(stats.fileBytes))
            }
            // The store figures operators read.
            let figures = try await client.stats()
            #expect(figures.archiveRuns == UInt64(cycles) && figures.ordersArchived == UInt64(cycles * perCycle))
            #expect(figures.lastArchiveFile == files.last && figures.lastArchiveAt != nil)
            #expect(figures.fileBytes > 0 && figures.pageSize >= 4096 && figures.usedPages * UInt64(figures.pageSize) <= figures.fileBytes)
            #expect(figures.freePages > 0 && figures.freePages < figures.usedPages, "archiving frees pages for reuse")
            #expect(figures.maxReaders > 0 && figures.readersUsed <= figures.maxReaders)
            #expect(figures.largestDatabases.map(\.name).sorted() == ["audit", "audit_by_target", "by_service_point", "by_status", "devices", "due", "events", "idempotency", "meta", "orders"])
            #expect(figures.largestDatabases.map(\.pages) == figures.largestDatabases.map(\.pages).sorted(by: >))
            // Every finished order is in exactly one archive file.
            var archived: [String: Int] = [:]
            for file in files {
                for order in try ArchiveFileReader.orders(in: file) {
                    archived[order.orderID, default: 0] += 1
                    #expect(order.status.isTerminal)
                }
            }
            #expect(Set(archived.keys) == submitted, "\(submitted.subtracting(archived.keys).count) orders missing from the archive")
            #expect(archived.values.allSatisfy { $0 == 1 }, "orders in more than one archive file: \(archived.filter { $0.value > 1 }.keys.prefix(5))")
            // Freed pages are reused: after the first cycles the file stops growing.
            let bound = sizes[1] + sizes[1] / 4
            #expect(sizes.dropFirst(2).allSatisfy { $0 <= bound }, "data.mdb kept growing over the cycles: \(sizes)")
            print("archive soak: \(cycles) cycles of \(perCycle) orders; data.mdb sizes \(sizes); \(files.count) archive files")
            // A watcher below the floor is told so.
            _ = store
        }
    }
}

extension StoreMaintenanceTests {
    @Test("backup and archive are refused to a caller other than root and somd's own user (setpriv as nobody)",
          .enabled(if: getuid() == 0 && ProcessRunner.which("setpriv") != nil && SomdBinary.path != nil
                   && FileManager.default.isExecutableFile(atPath: somctlPath)))
    func maintenanceNeedsAnOperator() async throws {
        let directory = try TemporaryDirectory(prefix: "som-maint-perm")
        defer { directory.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let somd = try SomdProcess.launch(
            binary: try #require(SomdBinary.path), socketPath: directory.appending("som.sock"), dataPath: directory.appending("data"),
            logPath: directory.appending("somd.log"), extraArguments: ["--socket-mode", "666"])
        defer { somd.stop() }
        try await somd.waitUntilServing()
        let setpriv = try #require(ProcessRunner.which("setpriv"))
        let asNobody = ["--reuid=65534", "--regid=65534", "--clear-groups", somctlPath]
        let backup = try await ProcessRunner.runOnThread(setpriv, asNobody + ["backup", "--to", "/tmp/som-stolen-\(getpid())", "--socket", somd.socketPath])
        #expect(backup.status == 1 && backup.stderr.contains("PERMISSION_DENIED"), "\(backup.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/som-stolen-\(getpid())/data.mdb"))
        let archive = try await ProcessRunner.runOnThread(setpriv, asNobody + ["archive", "--older-than", "0s", "--socket", somd.socketPath])
        #expect(archive.status == 1 && archive.stderr.contains("PERMISSION_DENIED"), "\(archive.stderr)")
        // Health still answers the same caller: only maintenance is closed to it.
        let health = try await ProcessRunner.runOnThread(setpriv, asNobody + ["health", "--socket", somd.socketPath])
        #expect(health.status == 0, "\(health.stderr)")
    }
}

/// Order ids acknowledged so far, shared between the ingest task and the test.
final class Acknowledged: Sendable {
    private let ids = LockedBox<[String]>([])
    func add(_ new: [String]) { ids.value += new }
    var count: Int { ids.value.count }
    var snapshot: [String] { ids.value }
}
