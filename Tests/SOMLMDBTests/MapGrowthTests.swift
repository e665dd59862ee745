import Foundation
import SOMLMDB
import SOMTestSupport
import Synchronization
import Testing

@Suite("Map growth: write grows the map on MDB_MAP_FULL and retries", .timeLimit(.minutes(2)))
struct MapGrowthTests {
    static let tinyMap = 64 << 10  // 64 KiB: 16 pages

    /// A 4000-byte value (one overflow page each) that encodes `index` in its first 8 bytes and a
    /// pattern depending on `index` in the rest, so a mixed-up record would be caught.
    static func value(_ index: UInt64, patterns: [[UInt8]]) -> [UInt8] {
        var value = patterns[Int(index % UInt64(patterns.count))]
        value.replaceSubrange(0..<8, with: index.bigEndianBytes)
        return value
    }

    @Test("300 MB written from a 64 KiB map: every record readable, map grew")
    func growsFromTinyMap() async throws {
        let count: UInt64 = 75_000
        let batch: UInt64 = 1_000
        let patterns: [[UInt8]] = (0..<17).map { [UInt8](repeating: UInt8($0 * 13 + 1), count: 4000) }
        // Runs with full fsync on every commit (no noSync): it takes well under a second here.
        try await withEnvironment(Environment.Options(mapSize: Self.tinyMap)) { env, dir in
            let db = try env.openDatabase(name: "blobs", flags: .create)
            var bodyRuns = 0
            for start in stride(from: 0, to: count, by: Int(batch)) {
                try env.write { txn throws in
                    bodyRuns += 1
                    for index in start..<(start + batch) {
                        try txn.put(Self.value(index, patterns: patterns), forKey: index.bigEndianBytes, in: db, flags: .append)
                    }
                }
            }
            let info = try env.info
            #expect(info.mapSize > 300_000_000, "map grew from 64 KiB to hold 300 MB")
            #expect(bodyRuns > Int(count / batch), "some batches ran again after growing")
            let fileSize = try FileManager.default.attributesOfItem(atPath: dir.appending("env/data.mdb"))[.size] as? Int
            #expect((fileSize ?? 0) > 300_000_000, "the data really is on disk")

            try env.read { txn throws in
                #expect(try txn.count(in: db) == Int(count))
                var missing = 0
                var wrong = 0
                for index in 0..<count {
                    guard let stored = try txn.get(index.bigEndianBytes, in: db) else { missing += 1; continue }
                    // Full comparison for a sample, header + size + tail for the rest (keeps a debug build fast).
                    if index % 97 == 0 {
                        if stored != Self.value(index, patterns: patterns) { wrong += 1 }
                    } else if stored.count != 4000 || UInt64(bigEndianBytes: stored[0..<8]) != index
                        || stored[3999] != patterns[Int(index % 17)][3999] {
                        wrong += 1
                    }
                }
                #expect(missing == 0)
                #expect(wrong == 0)
            }
        }
    }

    @Test("a single transaction larger than the map is rerun until it fits")
    func oneBigTransaction() async throws {
        try await withEnvironment(Environment.Options(mapSize: Self.tinyMap)) { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            var runs = 0
            let value = [UInt8](repeating: 0xAB, count: 1000)
            let returned = try env.write { txn throws in
                runs += 1
                for i in 0..<2_000 as Range<UInt32> { try txn.put(value, forKey: i.bigEndianBytes, in: db) }
                return "done"
            }
            #expect(returned == "done")
            #expect(runs > 1)
            #expect(try env.info.mapSize >= 2 << 20)
            try env.read { txn throws in #expect(try txn.count(in: db) == 2_000) }
        }
    }

    @Test("growth still happens when the body swallows MDB_MAP_FULL itself")
    func bodyCatchesMapFull() async throws {
        try await withEnvironment(Environment.Options(mapSize: Self.tinyMap)) { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            var sawMapFull = false
            try env.write { txn throws in
                do {
                    for i in 0..<500 as Range<UInt32> {
                        try txn.put([UInt8](repeating: 1, count: 1000), forKey: i.bigEndianBytes, in: db)
                    }
                } catch LMDBError.mapFull {
                    sawMapFull = true  // swallowed; write must still notice and retry
                }
            }
            #expect(sawMapFull)
            try env.read { txn throws in #expect(try txn.count(in: db) == 500) }
        }
    }

    @Test("maxMapSize caps growth: mapFull is thrown and earlier commits stay intact")
    func capThrowsMapFull() async throws {
        let cap = 1 << 20  // 1 MiB
        try await withEnvironment(Environment.Options(mapSize: Self.tinyMap, maxMapSize: cap)) { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            let value = [UInt8](repeating: 0x5A, count: 1000)
            var committedBatches = 0
            var failure: LMDBError?
            for batch in 0..<100 as Range<UInt32> {
                do {
                    try env.write { txn throws in
                        for i in 0..<50 as Range<UInt32> {
                            try txn.put(value, forKey: (batch * 50 + i).bigEndianBytes, in: db)
                        }
                    }
                    committedBatches += 1
                } catch let error as LMDBError {
                    failure = error
                    break
                }
            }
            #expect(failure == .mapFull)
            #expect(committedBatches > 5, "growth happened before the cap")
            #expect(committedBatches < 100, "the cap was hit")
            #expect(try env.info.mapSize == cap)
            try env.read { txn throws in
                #expect(try txn.count(in: db) == committedBatches * 50, "the failed batch left nothing behind")
                for key in 0..<UInt32(committedBatches * 50) {
                    #expect(try txn.get(key.bigEndianBytes, in: db) == value)
                }
            }
            // Still usable afterwards: deleting frees pages for new writes.
            try env.write { txn throws in
                for key in 0..<UInt32(50) { try txn.delete(key.bigEndianBytes, in: db) }
            }
            try env.write { txn throws in try txn.put(b("small"), forKey: b("after"), in: db) }
        }
    }

    @Test("a cap below the initial size throws mapFull at once")
    func capBelowInitialSize() async throws {
        try await withEnvironment(Environment.Options(mapSize: Self.tinyMap, maxMapSize: Self.tinyMap)) { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            #expect(throws: LMDBError.mapFull) {
                try env.write { txn throws in
                    for i in 0..<200 as Range<UInt32> { try txn.put([UInt8](repeating: 1, count: 1000), forKey: i.bigEndianBytes, in: db) }
                }
            }
            #expect(try env.info.mapSize == Self.tinyMap)
        }
    }

    @Test("growth waits for a read transaction on another thread instead of remapping under it")
    func growthWaitsForReaders() async throws {
        try await withEnvironment(Environment.Options(mapSize: Self.tinyMap)) { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in try txn.put(b("before"), forKey: b("k"), in: db) }
            let readerStarted = DispatchSemaphore(value: 0)
            let releaseReader = DispatchSemaphore(value: 0)
            let readerSaw = Mutex<[UInt8]?>(nil)
            let writerFinished = Mutex(false)
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                try? env.read { txn throws in
                    readerStarted.signal()
                    releaseReader.wait()
                    // Growth cannot remap while this snapshot is live, so reading the map is still safe.
                    let value = try txn.get(b("k"), in: db)
                    readerSaw.withLock { $0 = value }
                }
            }
            readerStarted.wait()
            DispatchQueue.global().async(group: group) {
                do {
                    try env.write { txn throws in
                        for i in 0..<300 as Range<UInt32> {
                            try txn.put([UInt8](repeating: 2, count: 1000), forKey: i.bigEndianBytes, in: db)
                        }
                    }
                    writerFinished.withLock { $0 = true }
                } catch {}
            }
            // The writer needs to grow, which it may do only after the reader ends.
            Thread.sleep(forTimeInterval: 0.2)
            #expect(writerFinished.withLock { $0 } == false, "growth waited for the live reader")
            releaseReader.signal()
            #expect(group.wait(timeout: .now() + 30) == .success)
            #expect(readerSaw.withLock { $0 } == b("before"))
            #expect(writerFinished.withLock { $0 })
            try env.read { txn throws in #expect(try txn.count(in: db) == 301) }
        }
    }
}
