import Foundation
import NIOCore
import NIOPosix
import SOMClient
import SOMCodec
import SOMTestSupport
import Testing

/// Wrong flags and damaged files at start: somd refuses with one line and exit status 2, and
/// destroys nothing it did not create. Real somd processes, real files.
@Suite("Startup safety: socket paths, lock files, damaged and empty data files", .timeLimit(.minutes(3)),
       .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
struct StartupSafetyTests {
    /// What a mistyped `--socket` may point at.
    enum Victim: String, CaseIterable, CustomStringConvertible {
        case anotherStoresDataDirectory, theDataDirectoryItself, regularFile, symlinkToFile, liveForeignSocket
        var description: String { rawValue }
    }

    @Test("a --socket path that is not a stale som socket is refused with exit 2 and left exactly as it was",
          arguments: Victim.allCases)
    func occupiedSocketPath(_ victim: Victim) async throws {
        let directory = try TemporaryDirectory(prefix: "som-sockpath")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        var dataPath = directory.appending("data")
        let socketPath: String
        var foreign: (any Channel)?
        switch victim {
        case .anotherStoresDataDirectory:
            socketPath = directory.appending("other-data")
            try await fillStore(binary: binary, directory: directory, dataPath: socketPath, orders: 20)
        case .theDataDirectoryItself:
            socketPath = directory.appending("shared")
            dataPath = socketPath
            try await fillStore(binary: binary, directory: directory, dataPath: socketPath, orders: 20)
        case .regularFile:
            socketPath = directory.appending("notes.txt")
            try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: socketPath))
        case .symlinkToFile:
            let target = directory.appending("target.txt")
            try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: target))
            socketPath = directory.appending("link")
            try FileManager.default.createSymbolicLink(atPath: socketPath, withDestinationPath: target)
        case .liveForeignSocket:
            socketPath = directory.appending("foreign.sock")
            foreign = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(unixDomainSocketPath: socketPath).get()
        }
        defer { foreign?.close(promise: nil) }
        let before = try snapshot(directory.path)

        let somd = try await expectExit(2, SomdProcess.launch(binary: binary, socketPath: socketPath, dataPath: dataPath, logPath: directory.appending("somd.log")))
        let log = somd.logTail()
        #expect(log.contains("\(socketPath) exists and is not a stale som socket"), "log:\n\(log)")

        var after = try snapshot(directory.path)
        // somd may add its own files (lock, log, a fresh store in its own data directory) but must
        // not change or remove anything that was there.
        for added in after.keys where before[added] == nil {
            if added.hasSuffix(".lock") || added.hasPrefix("somd.log") || added.hasPrefix("data") { after[added] = nil }
        }
        var expected = before
        if victim == .theDataDirectoryItself {
            // The store in the directory was opened (its files change); it must still hold every order.
            for key in Array(after.keys) + Array(expected.keys) where key.hasPrefix("shared/") {
                after[key] = nil
                expected[key] = nil
            }
            let check = try await runSomd(binary, ["check", "--data", socketPath])
            #expect(check.status == 0 && check.output.contains(" 20 orders"), "somd check: \(check)")
        }
        #expect(after == expected, "files changed:\nbefore \(expected)\nafter \(after)")
        if victim == .liveForeignSocket {
            // The foreign listener still owns its path and still answers.
            let probe = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(unixDomainSocketPath: socketPath).get()
            try await probe.close()
        }
    }

    @Test("the socket file of a somd killed with SIGKILL is stale: the next somd replaces it and serves")
    func staleSocketReplaced() async throws {
        let directory = try TemporaryDirectory(prefix: "som-stale")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let socketPath = directory.appending("som.sock")
        let first = try SomdProcess.launch(binary: binary, socketPath: socketPath, dataPath: directory.appending("data"), logPath: directory.appending("first.log"))
        defer { first.stop() }
        try await first.waitUntilServing()
        first.stop()
        let type = try FileManager.default.attributesOfItem(atPath: socketPath)[.type] as? FileAttributeType
        try #require(type == .typeSocket, "SIGKILL left no socket file to test with")
        let second = try SomdProcess.launch(binary: binary, socketPath: socketPath, dataPath: directory.appending("data"), logPath: directory.appending("second.log"))
        defer { second.stop() }
        try await second.waitUntilServing()
    }

    @Test("a symlink planted at <data>/som.lock is refused; the file it points to is not written")
    func lockFileSymlink() async throws {
        let directory = try TemporaryDirectory(prefix: "som-locklink")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let victim = directory.appending("precious.txt")
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createDirectory(atPath: directory.appending("data"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.appending("data/som.lock"), withDestinationPath: victim)
        let somd = try await expectExit(2, SomdProcess.launch(binary: binary, socketPath: directory.appending("som.sock"), dataPath: directory.appending("data"), logPath: directory.appending("somd.log")))
        #expect(somd.logTail().contains("symbolic link"))
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n")
    }

    @Test("--socket-mode with set-uid, set-gid or sticky bits, or beyond 777, is a usage error",
          arguments: ["4770", "2770", "1777", "10660"])
    func socketModeRefused(_ mode: String) async throws {
        let directory = try TemporaryDirectory(prefix: "som-mode")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let somd = try await expectExit(64, SomdProcess.launch(
            binary: binary, socketPath: directory.appending("som.sock"), dataPath: directory.appending("data"),
            logPath: directory.appending("somd.log"), extraArguments: ["--socket-mode", mode]))
        #expect(somd.logTail().contains("--socket-mode"))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("som.sock")))
    }

    /// Ways a data file gets damaged.
    enum Damage: String, CaseIterable, CustomStringConvertible {
        case truncatedToHalf, randomBytesAfterMetaPages, randomTail
        var description: String { rawValue }
    }

    @Test("a damaged data.mdb is refused at start with one line and exit 2 (never a signal); somd check exits 1",
          arguments: Damage.allCases)
    func damagedDataFile(_ damage: Damage) async throws {
        let directory = try TemporaryDirectory(prefix: "som-damaged")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let data = directory.appending("data")
        try await fillStore(binary: binary, directory: directory, dataPath: data, orders: 300)
        #expect(try await runSomd(binary, ["check", "--data", data]).status == 0)
        let file = data + "/data.mdb"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        let handle = try #require(FileHandle(forUpdatingAtPath: file))
        var rng = SplitMix64(state: 0xDA3A_6E5)
        switch damage {
        case .truncatedToHalf:
            try handle.truncate(atOffset: UInt64(size / 2))
        case .randomBytesAfterMetaPages:
            try handle.seek(toOffset: 8192)
            handle.write(Data((0..<(size - 8192)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
        case .randomTail:
            // The newest pages (the roots of the last commits) sit at the end of a growing file.
            try handle.seek(toOffset: UInt64(size - size / 4))
            handle.write(Data((0..<(size / 4)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
        }
        try handle.close()

        let somd = try await expectExit(2, SomdProcess.launch(binary: binary, socketPath: directory.appending("again.sock"), dataPath: data, logPath: directory.appending("damaged.log")))
        let lines = somd.logTail().split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("data.mdb is damaged"), "log:\n\(somd.logTail())")
        let check = try await runSomd(binary, ["check", "--data", data])
        #expect(check.status == 1, "somd check: \(check)")
        #expect(check.output.contains("NOT consistent"))
    }

    @Test("a data.mdb emptied or deleted where a store lived is refused unless --init; --init starts an empty store",
          arguments: [true, false])
    func emptiedDataFile(_ truncate: Bool) async throws {
        let directory = try TemporaryDirectory(prefix: "som-empty")
        defer { directory.remove() }
        let binary = try #require(SomdBinary.path)
        let data = directory.appending("data")
        try await fillStore(binary: binary, directory: directory, dataPath: data, orders: 20)
        if truncate {
            try #require(FileHandle(forUpdatingAtPath: data + "/data.mdb")).truncate(atOffset: 0)
        } else {
            try FileManager.default.removeItem(atPath: data + "/data.mdb")
        }
        let refused = try await expectExit(2, SomdProcess.launch(binary: binary, socketPath: directory.appending("r.sock"), dataPath: data, logPath: directory.appending("refused.log")))
        #expect(refused.logTail().contains("once held a store"))

        let fresh = try SomdProcess.launch(
            binary: binary, socketPath: directory.appending("i.sock"), dataPath: data, logPath: directory.appending("init.log"),
            extraArguments: ["--init"])
        defer { fresh.stop() }
        try await fresh.waitUntilServing()
        let client = SOMClient(socketPath: fresh.socketPath)
        let stats = try await client.stats()
        await client.close()
        #expect(stats.ordersTotal == 0)
    }

    @Test("somd check: exit 2 for a directory without a store")
    func checkWithoutStore() async throws {
        let directory = try TemporaryDirectory(prefix: "som-nostore")
        defer { directory.remove() }
        let result = try await runSomd(try #require(SomdBinary.path), ["check", "--data", directory.path])
        #expect(result.status == 2, "\(result)")
    }
}

/// Waits for `somd` to end on its own; expects a plain exit with `status` (never a signal).
/// The process is stopped whatever happens.
func expectExit(_ status: Int32, _ somd: SomdProcess, sourceLocation: SourceLocation = #_sourceLocation) async throws -> SomdProcess {
    defer { somd.stop() }
    let exit = try await somd.waitForExit(timeout: .seconds(30))
    #expect(exit == .init(signalled: false, status: status), "somd \(exit); log:\n\(somd.logTail())", sourceLocation: sourceLocation)
    return somd
}

/// Starts somd on `dataPath`, submits `orders` orders, and kills it (every acknowledged order is durable).
func fillStore(binary: String, directory: TemporaryDirectory, dataPath: String, orders: Int) async throws {
    let socket = directory.appending("fill-\(orders).sock")
    let somd = try SomdProcess.launch(binary: binary, socketPath: socket, dataPath: dataPath, logPath: directory.appending("fill.log"))
    defer { somd.stop() }
    try await somd.waitUntilServing()
    let client = SOMClient(socketPath: socket)
    for index in 0..<orders {
        _ = try await client.submit(orderRequest("fill-\(index)", servicePoint: "SP-\(index % 50)"))
    }
    await client.close()
}

/// Every entry under `root` (relative path → contents for files, the link target for links, "dir"
/// for directories, "socket" for sockets).
func snapshot(_ root: String) throws -> [String: String] {
    var result: [String: String] = [:]
    let files = FileManager.default
    guard let walker = files.enumerator(atPath: root) else { return result }
    while let relative = walker.nextObject() as? String {
        let path = root + "/" + relative
        let type = try files.attributesOfItem(atPath: path)[.type] as? FileAttributeType
        switch type {
        case .typeSymbolicLink?: result[relative] = "link:" + (try files.destinationOfSymbolicLink(atPath: path))
        case .typeDirectory?: result[relative] = "dir"
        case .typeSocket?: result[relative] = "socket"
        default: result[relative] = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).hashValue.description
        }
    }
    return result
}

/// Runs somd with `arguments` to its end; its combined output and exit status.
/// Runs somd to its end on a thread of its own (never blocking the test's cooperative pool).
func runSomd(_ binary: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
    let result = try await ProcessRunner.runOnThread(binary, arguments)
    return (result.status, result.stdoutText + result.stderr)
}
