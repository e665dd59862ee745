import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMStore
import SOMTestSupport
import Testing

@Suite("Disk full: a clear status, nothing acknowledged lost, stranded orders evaluated once space is back",
       .timeLimit(.minutes(3)), .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
struct DiskFullTests {
    @Test("on a full file system callers get RESOURCE_EXHAUSTED naming the path and free space; after space returns, every order is evaluated without a restart",
          .enabled(if: SmallFileSystem.available, Comment(rawValue: SmallFileSystem.unavailableReason)))
    func diskFull() async throws {
        let directory = try TemporaryDirectory(prefix: "som-diskfull")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let mountPoint = directory.appending("fs")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let fileSystem = try SmallFileSystem(at: mountPoint, megabytes: 16)
        // Ballast to delete later: the space that "comes back". About 2 MiB stay for the store: a
        // few thousand orders, few enough to evaluate quickly on a loaded machine.
        let ballast = fileSystem.path + "/ballast"
        try Data(count: 14 << 20).write(to: URL(fileURLWithPath: ballast))
        let data = fileSystem.path + "/data"
        let somd = try SomdProcess.launch(binary: binary, socketPath: directory.appending("som.sock"), dataPath: data, logPath: directory.appending("somd.log"))
        defer { somd.stop() }
        try await somd.waitUntilServing()
        let client = SOMClient(socketPath: somd.socketPath)

        // One stream with chunks pipelined: intake runs ahead of the first evaluations, so when the
        // disk fills there is a backlog of acknowledged orders still to be evaluated.
        let acknowledged = Acknowledged()
        var refusal: RPCError?
        let call = try await client.submitBatch()
        let collector = Task { () -> RPCError? in
            do {
                for try await result in call.responses {
                    acknowledged.add(result.items.filter { $0.disposition == .accepted }.map(\.orderID))
                }
                return nil
            } catch let error as RPCError {
                return error
            }
        }
        do {
            for chunk in 0..<1500 {
                let requests = (0..<100).map { orderRequest("full-\(chunk)-\($0)", servicePoint: "SP-\(($0 * 7919 + chunk) % 3000)", type: .offCycleRead) }
                try await call.send(SubmitBatchChunk(chunkID: UInt64(chunk), requests: requests))
            }
            call.finishSending()
        } catch {
            // The server ended the stream (storage full): the collector has its status.
        }
        refusal = try await collector.value
        let acknowledgedIDs = acknowledged.snapshot
        let status = try #require(refusal, "2 MiB never filled up: \(acknowledgedIDs.count) orders accepted")
        #expect(status.code == .resourceExhausted, "\(status)")
        #expect(status.message.contains("storage full") && status.message.contains(data) && status.message.contains("bytes free"), "\(status.message)")
        #expect(!status.message.contains("EIO"), "the liblmdb cause is for the log, not for callers: \(status.message)")
        #expect(acknowledgedIDs.count > 100)
        // After the refusal the stream ends: no later chunk is committed without its answer (at most
        // the 16 chunks already taken in when the refusal came).
        let stored = try await client.stats().ordersTotal
        #expect(stored <= UInt64(acknowledgedIDs.count + 16 * 100), "\(stored) orders stored, \(acknowledgedIDs.count) acknowledged")

        // Reads go on while the disk is full, and every acknowledged order is there.
        for id in acknowledgedIDs.shuffled().prefix(50) {
            #expect(try await client.order(id).orderID == id)
        }

        // Take the last free bytes too, and keep the disk full until first evaluations have failed for
        // want of space: those orders are acknowledged, RECEIVED, and would wait for a restart.
        let filler = fileSystem.fill()
        let failing = ContinuousClock.now + .seconds(30)
        var stranded: UInt64 = 0
        while ContinuousClock.now < failing {
            let failed = somd.logTail(bytes: 1 << 20).contains("orchestration step failed")
            stranded = try await client.stats().ordersByStatus.first { $0.status == .received }?.count ?? 0
            if failed && stranded > 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(stranded > 0, "no order was left RECEIVED by the full disk: the test proves nothing; log:\n\(somd.logTail())")

        try FileManager.default.removeItem(atPath: ballast)
        try FileManager.default.removeItem(atPath: filler)
        let deadline = ContinuousClock.now + .seconds(60)
        var received = Int.max
        while ContinuousClock.now < deadline {
            let stats = try await client.stats()
            received = Int(stats.ordersByStatus.first { $0.status == .received }?.count ?? 0)
            if received == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let space = try FileManager.default.attributesOfFileSystem(forPath: fileSystem.path)
        #expect(received == 0, """
            \(received) orders still RECEIVED 60 s after space came back (\(acknowledgedIDs.count) acknowledged; \
            file system \(space[.systemSize] ?? "?") bytes, \(space[.systemFreeSize] ?? "?") free); log:\n\(somd.logTail())
            """)
        let stats = try await client.stats()
        #expect(stats.ordersTotal >= UInt64(acknowledgedIDs.count))
        for id in acknowledgedIDs.shuffled().prefix(50) {
            #expect(try await client.order(id).status != .received)
        }
        await client.close()
        #expect(somd.exited == nil, "somd \(String(describing: somd.exited)) during the test; log:\n\(somd.logTail())")
    }

    @Test("a gateway's result that arrives while the disk is full is refused as not durable, kept, and taken in once space returns: no restart, no second report",
          .enabled(if: SmallFileSystem.available, Comment(rawValue: SmallFileSystem.unavailableReason)))
    func resultDuringDiskFull() async throws {
        let directory = try TemporaryDirectory(prefix: "som-fullresult")
        defer { directory.remove() }
        let mountPoint = directory.appending("fs")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let fileSystem = try SmallFileSystem(at: mountPoint, megabytes: 16)
        let ballast = fileSystem.path + "/ballast", fileSystemPath = fileSystem.path
        try Data(count: 12 << 20).write(to: URL(fileURLWithPath: ballast))
        try await withServer(in: directory, dataPath: fileSystemPath + "/data") { client, store in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-R")])
            let read = try await adapter.submit("R-1", .offCycleRead, "SP-R")
            let command = try #require(try await adapter.pull("GW-01").commands.first)
            #expect(command.type == .onDemandRead)
            _ = try await adapter.order(read, until: { $0.activities.first?.status == .dispatched }, "the read is out")

            // Fill the disk, then use up what LMDB can still reuse inside its file: intake refuses.
            let filler = SmallFileSystem.fill(fileSystemPath)
            var refused = false
            for index in 0..<20_000 where !refused {
                do {
                    _ = try await client.submit(orderRequest("fill-\(index)", servicePoint: "SP-F\(index)", type: .offCycleRead))
                } catch let error as RPCError where error.code == .resourceExhausted {
                    refused = true
                }
            }
            try #require(refused, "intake never ran out of space: the test proves nothing")

            // The result arrives now: its step cannot commit, so the gateway is not told it is taken
            // in (an acknowledged result is durable); the server keeps it and tries again.
            let failures = store.storageFailures.current
            let refusal = await #expect(throws: RPCError.self) {
                _ = try await client.reportResults(ReportResultsRequest(gatewayID: "GW-01", results: [CommandResult(
                    commandID: command.commandID, kind: .succeeded,
                    reading: Reading(valueMilli: 42_000, unit: "kWh", readAt: .now(), source: .onDemand, meterID: "M-SP-R"), at: .now())]))
            }
            try #require(store.storageFailures.current > failures, "the result's step found room on the full disk: the test proves nothing")
            #expect(refusal?.code == .resourceExhausted && refusal?.message.contains("storage full") == true, "\(String(describing: refusal))")
            #expect(try await client.order(read).status != .completed)
            // The adapter, told it failed, reports the same result again: the server already holds
            // it, so the repeat is answered as not applied and changes nothing.
            let result = CommandResult(
                commandID: command.commandID, kind: .succeeded,
                reading: Reading(valueMilli: 99_000, unit: "kWh", readAt: .now(), source: .onDemand, meterID: "M-SP-R"), at: .now())
            let repeated = try await client.reportResults(ReportResultsRequest(gatewayID: "GW-01", results: [result]))
            #expect(repeated.applied == [false])

            try FileManager.default.removeItem(atPath: filler)
            try FileManager.default.removeItem(atPath: ballast)
            let done = try await adapter.order(read, until: { $0.status == .completed }, within: .seconds(60),
                                              "the result taken in after space came back, with no second report")
            #expect(done.activities.count == 1 && done.activities.first?.status == .succeeded)
            #expect(done.reading?.valueMilli == 42_000, "the first report's reading, taken in once")
            #expect(done.activities.first?.attempts.count == 1)
            // A late repeat after completion is harmless too.
            #expect(try await client.reportResults(ReportResultsRequest(gatewayID: "GW-01", results: [result])).applied == [false])
            #expect(try await client.order(read).reading?.valueMilli == 42_000)
        }
    }
}

