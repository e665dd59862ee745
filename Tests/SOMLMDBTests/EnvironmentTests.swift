import Foundation
import SOMLMDB
import SOMTestSupport
import Testing

@Suite("Environment: open, close, persistence, info and flags", .timeLimit(.minutes(2)))
struct EnvironmentTests {
    @Test("creates missing directories, and data survives close + reopen")
    func persistenceAcrossReopen() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appending("nested/deeper/env")
            do {
                let env = try Environment(path: path)
                let db = try env.openDatabase(name: "t", flags: .create)
                try env.write { txn throws in
                    try txn.put(b("one"), forKey: b("k1"), in: db)
                    try txn.put(b("two"), forKey: b("k2"), in: db)
                }
                env.close()
            }
            #expect(FileManager.default.fileExists(atPath: path + "/data.mdb"))
            #expect(FileManager.default.fileExists(atPath: path + "/lock.mdb"))

            let env = try Environment(path: path)
            defer { env.close() }
            let db = try env.openDatabase(name: "t")
            try env.read { txn throws in
                #expect(try txn.get(b("k1"), in: db) == b("one"))
                #expect(try txn.get(b("k2"), in: db) == b("two"))
                #expect(try txn.count(in: db) == 2)
            }
        }
    }

    @Test("deinit closes the environment, so the same path can be reopened")
    func deinitCloses() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appending("env")
            for round in 0..<3 {
                let env = try Environment(path: path)
                let db = try env.openDatabase(name: "t", flags: .create)
                try env.write { txn throws in try txn.put([UInt8(round)], forKey: b("k"), in: db) }
                // no close(): deinit releases the handle
            }
            let env = try Environment(path: path)
            let db = try env.openDatabase(name: "t")
            try env.read { txn throws in #expect(try txn.get(b("k"), in: db) == [2]) }
        }
    }

    @Test("info and stat report map size, pages, entries and page size")
    func infoAndStat() async throws {
        try await withEnvironment(Environment.Options(mapSize: 1 << 20, maxReaders: 7)) { env, _ in
            let before = try env.info
            #expect(before.mapSize == 1 << 20)
            #expect(before.maxReaders == 7)
            let main = try env.openDatabase(name: nil)
            try env.write { txn throws in
                for i in 0..<10 as Range<UInt32> { try txn.put(b("v"), forKey: i.bigEndianBytes, in: main) }
            }
            let after = try env.info
            #expect(after.lastTransactionID > before.lastTransactionID)
            #expect(after.lastPageNumber >= before.lastPageNumber)
            let stat = try env.stat
            #expect(stat.entries == 10)
            #expect(stat.pageSize >= 4096)
            #expect(stat.depth == 1)
            #expect(stat.leafPages == 1)
        }
    }

    @Test("the flags given at open are the flags in force, plus noTLS", arguments: [
        Environment.Flags.noSync, .noMetaSync, .noReadahead, .noMemInit, .writeMap, [.writeMap, .mapAsync],
    ])
    func flagsRoundTrip(flags: Environment.Flags) async throws {
        try await withEnvironment(Environment.Options(flags: flags)) { env, _ in
            let inForce = try env.flags
            #expect(inForce.isSuperset(of: flags))
            #expect(inForce.contains(.noTLS))
            #expect(!inForce.contains(.readOnly))
        }
    }

    @Test("noSubdir stores the data in a file at the path, with a -lock file beside it")
    func noSubdir() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appending("sub/data.db")
            let env = try Environment(path: path, options: Environment.Options(flags: .noSubdir))
            defer { env.close() }
            let db = try env.openDatabase(name: nil)
            try env.write { txn throws in try txn.put(b("v"), forKey: b("k"), in: db) }
            var isDirectory: ObjCBool = true
            #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory))
            #expect(!isDirectory.boolValue)
            #expect(FileManager.default.fileExists(atPath: path + "-lock"))
        }
    }

    @Test("sync succeeds with noSync, and copy produces an openable copy")
    func syncAndCopy() async throws {
        try await withEnvironment(Environment.Options(flags: .noSync)) { env, dir in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in
                for i in 0..<100 as Range<UInt64> { try txn.put(i.bigEndianBytes, forKey: i.bigEndianBytes, in: db) }
            }
            try env.sync(force: true)
            let copyPath = dir.appending("copy")
            try env.copy(to: copyPath, compact: true)
            #expect(throws: LMDBError.fileExists) { try env.copy(to: copyPath) }

            let copy = try Environment(path: copyPath)
            defer { copy.close() }
            let copied = try copy.openDatabase(name: "t")
            try copy.read { txn throws in
                #expect(try txn.count(in: copied) == 100)
                #expect(try txn.get(UInt64(42).bigEndianBytes, in: copied) == UInt64(42).bigEndianBytes)
            }
        }
    }

    @Test("the linked library is LMDB 0.9")
    func version() {
        let version = LMDB.version
        #expect(version.major == 0)
        #expect(version.minor == 9)
        #expect(version.description.hasPrefix("0.9."))
    }

    @Test("flag raw values are the lmdb.h constants")
    func flagRawValues() {
        let environment: [(Environment.Flags, UInt32)] = [
            (.noSubdir, 0x4000), (.noSync, 0x10000), (.readOnly, 0x20000), (.noMetaSync, 0x40000),
            (.writeMap, 0x80000), (.mapAsync, 0x100000), (.noTLS, 0x200000), (.noReadahead, 0x800000),
            (.noMemInit, 0x1000000),
        ]
        for (flag, raw) in environment { #expect(flag.rawValue == raw) }
        let database: [(Database.Flags, UInt32)] = [
            (.reverseKey, 0x02), (.dupSort, 0x04), (.integerKey, 0x08), (.dupFixed, 0x10),
            (.integerDup, 0x20), (.reverseDup, 0x40), (.create, 0x40000),
        ]
        for (flag, raw) in database { #expect(flag.rawValue == raw) }
        let put: [(PutFlags, UInt32)] = [
            (.noOverwrite, 0x10), (.noDupData, 0x20), (.append, 0x20000), (.appendDup, 0x40000),
        ]
        for (flag, raw) in put { #expect(flag.rawValue == raw) }
    }
}
