import SOMLMDB
import SOMTestSupport
import Testing

@Suite("dupSort databases: several sorted values per key", .timeLimit(.minutes(2)))
struct DupSortTests {
    @Test("values are kept sorted, counted, iterated both ways, and deleted one at a time")
    func multipleValuesPerKey() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "tags", flags: [.create, .dupSort])
            try env.write { txn throws in
                for value in ["cherry", "apple", "banana"] { try txn.put(b(value), forKey: b("fruit"), in: db) }
                try txn.put(b("carrot"), forKey: b("veg"), in: db)
                try txn.put(b("apple"), forKey: b("fruit"), in: db)  // same pair again: no-op without noDupData
            }
            try env.read { txn throws in
                #expect(try txn.values(forKey: b("fruit"), in: db) == [b("apple"), b("banana"), b("cherry")])
                #expect(try txn.valueCount(forKey: b("fruit"), in: db) == 3)
                #expect(try txn.valueCount(forKey: b("none"), in: db) == 0)
                #expect(try txn.values(forKey: b("none"), in: db) == [])
                #expect(try txn.get(b("fruit"), in: db) == b("apple"), "get returns the first value")
                #expect(try txn.count(in: db) == 4)

                var reversed: [[UInt8]] = []
                try txn.forEachValue(forKey: b("fruit"), in: db, reverse: true) { value in
                    reversed.append(value)
                    return .continue
                }
                #expect(reversed == [b("cherry"), b("banana"), b("apple")])

                var first: [[UInt8]] = []
                try txn.forEachValue(forKey: b("fruit"), in: db) { value in
                    first.append(value)
                    return .stop
                }
                #expect(first == [b("apple")])
            }
            try env.write { txn throws in
                #expect(try txn.delete(b("fruit"), value: b("banana"), in: db))
                #expect(try !txn.delete(b("fruit"), value: b("kiwi"), in: db))
            }
            try env.read { txn throws in
                #expect(try txn.values(forKey: b("fruit"), in: db) == [b("apple"), b("cherry")])
                #expect(try txn.values(forKey: b("veg"), in: db) == [b("carrot")])
            }
            try env.write { txn throws in #expect(try txn.delete(b("fruit"), in: db)) }  // all values at once
            try env.read { txn throws in #expect(try txn.valueCount(forKey: b("fruit"), in: db) == 0) }
        }
    }

    @Test("noDupData, noOverwrite and appendDup report keyExist")
    func dupPutFlags() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "d", flags: [.create, .dupSort])
            try env.write { txn throws in
                try txn.put(b("a"), forKey: b("k"), in: db)
                try txn.put(b("m"), forKey: b("k"), in: db, flags: .appendDup)
            }
            #expect(throws: LMDBError.keyExist) {
                try env.write { txn throws in try txn.put(b("a"), forKey: b("k"), in: db, flags: .noDupData) }
            }
            #expect(throws: LMDBError.keyExist) {
                try env.write { txn throws in try txn.put(b("z"), forKey: b("k"), in: db, flags: .noOverwrite) }
            }
            #expect(throws: LMDBError.keyExist) {
                try env.write { txn throws in try txn.put(b("c"), forKey: b("k"), in: db, flags: .appendDup) }
            }
            try env.write { txn throws in try txn.put(b("z"), forKey: b("k"), in: db, flags: .noDupData) }
            try env.read { txn throws in #expect(try txn.values(forKey: b("k"), in: db) == [b("a"), b("m"), b("z")]) }
        }
    }

    @Test("in a plain database, value iteration sees the single value and never the next key")
    func plainDatabaseValues() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "plain", flags: .create)
            try env.write { txn throws in
                try txn.put(b("1"), forKey: b("a"), in: db)
                try txn.put(b("2"), forKey: b("b"), in: db)
            }
            try env.read { txn throws in
                #expect(try txn.values(forKey: b("a"), in: db) == [b("1")])
                #expect(try txn.valueCount(forKey: b("a"), in: db) == 1)
                #expect(try txn.valueCount(forKey: b("c"), in: db) == 0)
            }
        }
    }
}
