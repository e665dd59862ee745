import Foundation
import SOMLMDB
import SOMTestSupport
import Synchronization
import Testing

@Suite("Transactions: put/get/delete, abort, isolation", .timeLimit(.minutes(2)))
struct TransactionTests {
    @Test("put, get, overwrite, delete, count")
    func putGetDelete() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in
                try txn.put(b("apple"), forKey: b("a"), in: db)
                try txn.put(b("banana"), forKey: b("b"), in: db)
                try txn.put(b("cherry"), forKey: b("c"), in: db)
                // A write transaction sees its own writes.
                #expect(try txn.get(b("b"), in: db) == b("banana"))
                #expect(try txn.count(in: db) == 3)
            }
            try env.write { txn throws in
                try txn.put(b("blueberry"), forKey: b("b"), in: db)  // overwrite
                #expect(try txn.delete(b("a"), in: db))
                #expect(try !txn.delete(b("zzz"), in: db), "deleting a missing key reports false")
            }
            try env.read { txn throws in
                #expect(try txn.get(b("a"), in: db) == nil)
                #expect(try txn.get(b("b"), in: db) == b("blueberry"))
                #expect(try txn.contains(b("c"), in: db))
                #expect(try !txn.contains(b("a"), in: db))
                #expect(try txn.count(in: db) == 2)
                #expect(try txn.stat(of: db).entries == 2)
            }
        }
    }

    @Test("keys and values may be any byte collection, including slices and empty values")
    func byteCollections() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            let big: [UInt8] = Array(0...255)
            try env.write { txn throws in
                try txn.put(big[10..<20], forKey: big[1..<3], in: db)   // ArraySlice
                try txn.put([UInt8](), forKey: b("empty"), in: db)      // empty value
                try txn.put(big, forKey: "utf8".utf8, in: db)           // String.UTF8View
                try txn.put(big.lazy.map { $0 ^ 0xFF }, forKey: b("lazy"), in: db)  // not contiguous
            }
            try env.read { txn throws in
                #expect(try txn.get([1, 2], in: db) == Array(10..<20))
                #expect(try txn.get(b("empty"), in: db) == [])
                #expect(try txn.get(b("utf8"), in: db) == big)
                #expect(try txn.get(b("lazy"), in: db) == big.map { $0 ^ 0xFF })
            }
        }
    }

    @Test("throwing from a write body discards every put, and the error comes out unchanged")
    func abortDiscards() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in try txn.put(b("kept"), forKey: b("k0"), in: db) }
            #expect(throws: BodyError(tag: 7)) {
                try env.write { txn throws in
                    for i in 1...50 { try txn.put(b("lost"), forKey: b("k\(i)"), in: db) }
                    try txn.put(b("changed"), forKey: b("k0"), in: db)
                    _ = try txn.delete(b("k0"), in: db)
                    throw BodyError(tag: 7)
                }
            }
            try env.read { txn throws in
                #expect(try txn.count(in: db) == 1)
                #expect(try txn.get(b("k0"), in: db) == b("kept"))
                #expect(try txn.get(b("k1"), in: db) == nil)
            }
            // Errors thrown from read bodies come out unchanged too.
            #expect(throws: BodyError(tag: 8)) { try env.read { _ in throw BodyError(tag: 8) } }
        }
    }

    @Test("a database created in an aborted transaction does not exist afterwards")
    func abortDiscardsDatabaseCreation() async throws {
        try await withEnvironment { env, _ in
            #expect(throws: BodyError(tag: 1)) {
                try env.write { txn throws in
                    _ = try txn.openDatabase(name: "temp", flags: .create)
                    throw BodyError(tag: 1)
                }
            }
            #expect(throws: LMDBError.notFound) { _ = try env.openDatabase(name: "temp") }
        }
    }

    @Test("write returns the body's result after commit")
    func writeReturnsResult() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            let id = try env.write { txn throws in
                try txn.put(b("v"), forKey: b("k"), in: db)
                return txn.id
            }
            let seen = try env.read { txn throws in txn.id }
            #expect(seen == id, "a new snapshot has the ID of the last commit")
        }
    }

    @Test("a read transaction keeps its snapshot while another thread commits")
    func mvccSnapshotIsolation() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in try txn.put(b("old"), forKey: b("k"), in: db) }

            let writerError = Mutex<(any Error)?>(nil)
            let writerDone = DispatchSemaphore(value: 0)
            try env.read { txn throws in
                let snapshot = txn.id
                #expect(try txn.get(b("k"), in: db) == b("old"))

                // Commit on another thread while this snapshot is open.
                let writer = Thread {
                    do {
                        try env.write { w in
                            try w.put(b("new"), forKey: b("k"), in: db)
                            try w.put(b("added"), forKey: b("k2"), in: db)
                        }
                    } catch {
                        writerError.withLock { $0 = error }
                    }
                    writerDone.signal()
                }
                writer.start()
                #expect(writerDone.wait(timeout: .now() + 10) == .success, "writer is not blocked by the reader")

                #expect(txn.id == snapshot)
                #expect(try txn.get(b("k"), in: db) == b("old"))
                #expect(try txn.get(b("k2"), in: db) == nil)
                #expect(try txn.count(in: db) == 1)
            }
            #expect(writerError.withLock { $0 } == nil)
            try env.read { txn throws in
                #expect(try txn.get(b("k"), in: db) == b("new"))
                #expect(try txn.get(b("k2"), in: db) == b("added"))
            }
        }
    }

    @Test("readers on several threads run concurrently with one writer thread")
    func concurrentReadersAndWriter() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in try txn.put(UInt64(0).bigEndianBytes, forKey: b("counter"), in: db) }
            let failures = Mutex<[String]>([])
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) {
                for i in 1...200 as ClosedRange<UInt64> {
                    do {
                        try env.write { txn throws in
                            try txn.put(i.bigEndianBytes, forKey: b("counter"), in: db)
                            try txn.put(i.bigEndianBytes, forKey: b("mirror"), in: db)
                        }
                    } catch { failures.withLock { $0.append("write: \(error)") } }
                }
            }
            for _ in 0..<3 {
                DispatchQueue.global().async(group: group) {
                    var last: UInt64 = 0
                    for _ in 0..<300 {
                        do {
                            try env.read { txn throws in
                                let counter = try txn.get(b("counter"), in: db).flatMap { UInt64(bigEndianBytes: $0) } ?? 0
                                let mirror = try txn.get(b("mirror"), in: db).flatMap { UInt64(bigEndianBytes: $0) } ?? 0
                                // Both keys come from one commit, so a snapshot sees them equal
                                // (mirror is absent before the first commit).
                                if counter != 0 && counter != mirror { failures.withLock { $0.append("torn \(counter) \(mirror)") } }
                                if counter < last { failures.withLock { $0.append("went back \(last) -> \(counter)") } }
                                last = counter
                            }
                        } catch { failures.withLock { $0.append("read: \(error)") } }
                    }
                }
            }
            #expect(group.wait(timeout: .now() + 60) == .success)
            #expect(failures.withLock { $0 } == [])
            try env.read { txn throws in
                #expect(try txn.get(b("counter"), in: db) == UInt64(200).bigEndianBytes)
            }
        }
    }

    @Test("put flags: append requires increasing keys; noOverwrite leaves the old value")
    func putFlags() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in
                for i in 0..<100 as Range<UInt32> { try txn.put(b("v\(i)"), forKey: i.bigEndianBytes, in: db, flags: .append) }
            }
            #expect(throws: LMDBError.keyExist) {
                try env.write { txn throws in try txn.put(b("x"), forKey: UInt32(5).bigEndianBytes, in: db, flags: .append) }
            }
            #expect(throws: LMDBError.keyExist) {
                try env.write { txn throws in try txn.put(b("x"), forKey: UInt32(5).bigEndianBytes, in: db, flags: .noOverwrite) }
            }
            try env.read { txn throws in
                #expect(try txn.count(in: db) == 100)
                #expect(try txn.get(UInt32(5).bigEndianBytes, in: db) == b("v5"))
            }
        }
    }

    @Test("removeAll empties a database but keeps the handle")
    func removeAll() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in
                for i in 0..<20 as Range<UInt32> { try txn.put(b("v"), forKey: i.bigEndianBytes, in: db) }
            }
            try env.write { txn throws in try txn.removeAll(in: db) }
            try env.write { txn throws in try txn.put(b("again"), forKey: b("k"), in: db) }
            try env.read { txn throws in #expect(try txn.count(in: db) == 1) }
        }
    }

    @Test("database flags are stored and change the key order")
    func databaseFlags() async throws {
        try await withEnvironment { env, _ in
            let reverse = try env.openDatabase(name: "reverse", flags: [.create, .reverseKey])
            let integer = try env.openDatabase(name: "integer", flags: [.create, .integerKey])
            let dups = try env.openDatabase(name: "dups", flags: [.create, .dupSort, .dupFixed])
            try env.write { txn throws in
                for key in ["ab", "ba", "ca"] { try txn.put(b("v"), forKey: b(key), in: reverse) }
                // integerKey keys are native-endian (little-endian on every supported platform).
                for n in [256, 1, 2] as [UInt32] {
                    let native: [UInt8] = [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
                    try txn.put(b("\(n)"), forKey: native, in: integer)
                }
                #expect(try txn.flags(of: dups).isSuperset(of: [.dupSort, .dupFixed]))
            }
            try env.read { txn throws in
                #expect(try txn.flags(of: reverse).contains(.reverseKey))
                #expect(try txn.flags(of: integer).contains(.integerKey))
                #expect(try !txn.flags(of: integer).contains(.create), "create is not stored")
                // reverseKey compares from the last byte: "ba" (a,b) < "ca" (a,c) < "ab" (b,a).
                #expect(try collect(txn, reverse).map(\.key) == [b("ba"), b("ca"), b("ab")])
                // integerKey compares numerically, not byte-wise.
                #expect(try collect(txn, integer).map(\.value) == [b("1"), b("2"), b("256")])
            }
        }
    }
}
