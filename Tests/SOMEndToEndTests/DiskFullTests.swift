import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMTestSupport
import Testing

/// A small tmpfs mounted for one test, so the data directory really runs out of space.
struct SmallFileSystem: ~Copyable {
    let path: String

    /// Whether this machine lets us mount (root, a mount binary); probed once by mounting for real.
    static let available: Bool = {
        guard getuid() == 0, let probe = try? TemporaryDirectory(prefix: "som-tmpfs-probe") else { return false }
        defer { probe.remove() }
        do {
            _ = try SmallFileSystem(at: probe.path, megabytes: 1)
            return true
        } catch {
            return false
        }
    }()

    static let unavailableReason: Comment = "needs root and mount(8) to mount a small tmpfs; skipped here"

    init(at path: String, megabytes: Int) throws {
        let result = try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", path])
        guard result == 0 else { throw SomdProcessError(description: "mount tmpfs at \(path) failed (\(result))") }
        self.path = path
    }

    deinit {
        _ = try? Self.run("/bin/umount", ["-l", path])
    }

    private static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite("Disk full: a clear status, nothing acknowledged lost, stranded orders evaluated once space is back",
       .timeLimit(.minutes(3)), .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
struct DiskFullTests {
    @Test("on a full file system callers get RESOURCE_EXHAUSTED naming the path and free space; after space returns, every order is evaluated without a restart",
          .enabled(if: SmallFileSystem.available, SmallFileSystem.unavailableReason))
    func diskFull() async throws {
        let directory = try TemporaryDirectory(prefix: "som-diskfull")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let mountPoint = directory.appending("fs")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let fileSystem = try SmallFileSystem(at: mountPoint, megabytes: 12)
        // Ballast to delete later: the space that "comes back".
        let ballast = fileSystem.path + "/ballast"
        try Data(count: 4 << 20).write(to: URL(fileURLWithPath: ballast))
        let data = fileSystem.path + "/data"
        let somd = try SomdProcess.launch(binary: binary, socketPath: directory.appending("som.sock"), dataPath: data, logPath: directory.appending("somd.log"))
        defer { somd.stop() }
        try await somd.waitUntilServing()
        let client = SOMClient(socketPath: somd.socketPath)

        var acknowledged: [String] = []
        var refusal: RPCError?
        submitting: for chunk in 0..<400 {
            let call = try await client.submitBatch()
            let requests = (0..<100).map { orderRequest("full-\(chunk)-\($0)", servicePoint: "SP-\(($0 * 7919 + chunk) % 3000)", type: .offCycleRead) }
            try await call.send(SubmitBatchChunk(chunkID: UInt64(chunk), requests: requests))
            call.finishSending()
            do {
                for try await result in call.responses {
                    acknowledged += result.items.filter { $0.disposition == .accepted }.map(\.orderID)
                }
            } catch let error as RPCError {
                refusal = error
                break submitting
            }
        }
        let status = try #require(refusal, "12 MiB never filled up: \(acknowledged.count) orders accepted")
        #expect(status.code == .resourceExhausted, "\(status)")
        #expect(status.message.contains("storage full") && status.message.contains(data) && status.message.contains("bytes free"), "\(status.message)")
        #expect(!status.message.contains("EIO"), "the liblmdb cause is for the log, not for callers: \(status.message)")
        #expect(acknowledged.count > 100)

        // Reads go on while the disk is full, and every acknowledged order is there.
        for id in acknowledged.shuffled().prefix(50) {
            #expect(try await client.order(id).orderID == id)
        }

        // Take the last free bytes too, and keep the disk full until first evaluations have failed for
        // want of space: those orders are acknowledged, RECEIVED, and would wait for a restart.
        let filler = fileSystem.path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let fill = try #require(FileHandle(forWritingAtPath: filler))
        let block = Data(count: 64 << 10)
        while (try? fill.write(contentsOf: block)) != nil {}
        try? fill.close()
        let failing = ContinuousClock.now + .seconds(30)
        while !somd.logTail(bytes: 1 << 20).contains("orchestration step failed"), ContinuousClock.now < failing {
            try await Task.sleep(for: .milliseconds(50))
        }
        let stranded = try await client.stats().ordersByStatus.first { $0.status == .received }?.count ?? 0
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
        #expect(received == 0, "\(received) orders still RECEIVED 60 s after space came back; log:\n\(somd.logTail())")
        let stats = try await client.stats()
        #expect(stats.ordersTotal >= UInt64(acknowledged.count))
        for id in acknowledged.shuffled().prefix(50) {
            #expect(try await client.order(id).status != .received)
        }
        await client.close()
        #expect(somd.exited == nil, "somd \(String(describing: somd.exited)) during the test; log:\n\(somd.logTail())")
    }
}
