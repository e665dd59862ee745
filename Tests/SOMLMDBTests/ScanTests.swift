import SOMLMDB
import SOMTestSupport
import Testing

@Suite("Cursor scans: prefixes, ranges, reverse, early stop", .timeLimit(.minutes(2)))
struct ScanTests {
    /// Keys `[tag] + id.bigEndianBytes` for tags 1, 2 and 0xFF and ids 0..<50, values "tag:id".
    static func fill(_ env: Environment) throws -> Database {
        let db = try env.openDatabase(name: "scan", flags: .create)
        try env.write { txn throws in
            for tag in [2, 0xFF, 1] as [UInt8] {
                for id in (0..<50 as Range<UInt64>).reversed() {
                    try txn.put(b("\(tag):\(id)"), forKey: key(tag, id), in: db)
                }
            }
        }
        return db
    }

    static func key(_ tag: UInt8, _ id: UInt64) -> [UInt8] {
        var key: [UInt8] = [tag]
        key.appendBigEndian(id)
        return key
    }

    @Test("big-endian keys come out in numeric order")
    func numericOrder() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "n", flags: .create)
            let numbers: [UInt64] = [1 << 40, 256, 1, 0, 65_536, 255, UInt64.max, 2]
            try env.write { txn throws in
                for n in numbers { try txn.put(b("\(n)"), forKey: n.bigEndianBytes, in: db) }
            }
            try env.read { txn throws in
                let keys = try collect(txn, db).map { UInt64(bigEndianBytes: $0.key) }
                #expect(keys == numbers.sorted())
                let backwards = try collect(txn, db, reverse: true).map { UInt64(bigEndianBytes: $0.key) }
                #expect(backwards == numbers.sorted().reversed())
            }
        }
    }

    @Test("prefix scan visits exactly the keys with the prefix, forwards and backwards")
    func prefixScan() async throws {
        try await withEnvironment { env, _ in
            let db = try Self.fill(env)
            try env.read { txn throws in
                let tag1 = try collect(txn, db, .prefix([1]))
                #expect(tag1.map(\.key) == (0..<50).map { Self.key(1, $0) })
                #expect(tag1.first?.value == b("1:0"))

                let tag2Reversed = try collect(txn, db, .prefix([2]), reverse: true)
                #expect(tag2Reversed.map(\.key) == (0..<50).reversed().map { Self.key(2, $0) })

                // A prefix of all 0xFF has no successor key: the reverse scan starts at the very end.
                let tagFFReversed = try collect(txn, db, .prefix([0xFF]), reverse: true)
                #expect(tagFFReversed.map(\.key) == (0..<50).reversed().map { Self.key(0xFF, $0) })

                #expect(try collect(txn, db, .prefix([3])) == [])
                #expect(try collect(txn, db, .prefix([3]), reverse: true) == [])
                #expect(try collect(txn, db, .prefix(Self.key(1, 7))).map(\.value) == [b("1:7")])
                #expect(try collect(txn, db, .prefix([])).count == 150, "empty prefix means everything")
            }
        }
    }

    @Test("ranges: from, upTo, through, both directions")
    func ranges() async throws {
        try await withEnvironment { env, _ in
            let db = try Self.fill(env)
            try env.read { txn throws in
                let halfOpen = try collect(txn, db, .from(Self.key(1, 10), upTo: Self.key(1, 20)))
                #expect(halfOpen.map(\.key) == (10..<20).map { Self.key(1, $0) })
                let halfOpenReversed = try collect(txn, db, .from(Self.key(1, 10), upTo: Self.key(1, 20)), reverse: true)
                #expect(halfOpenReversed.map(\.key) == (10..<20).reversed().map { Self.key(1, $0) })

                let closed = try collect(txn, db, .from(Self.key(1, 10), through: Self.key(1, 20)))
                #expect(closed.map(\.key) == (10...20).map { Self.key(1, $0) })
                let closedReversed = try collect(txn, db, .from(Self.key(1, 10), through: Self.key(1, 20)), reverse: true)
                #expect(closedReversed.map(\.key) == (10...20).reversed().map { Self.key(1, $0) })

                // Bounds that are not keys themselves.
                let between = try collect(txn, db, .from([1, 0xFF], upTo: [2, 0, 0, 0, 0, 0, 0, 0, 3]))
                #expect(between.map(\.key) == (0..<3).map { Self.key(2, $0) })

                let tail = try collect(txn, db, .from(Self.key(0xFF, 48)))
                #expect(tail.map(\.key) == [Self.key(0xFF, 48), Self.key(0xFF, 49)])
                let head = try collect(txn, db, .upTo(Self.key(1, 2)), reverse: true)
                #expect(head.map(\.key) == [Self.key(1, 1), Self.key(1, 0)])
                let headClosed = try collect(txn, db, .through(Self.key(1, 2)))
                #expect(headClosed.map(\.key) == [Self.key(1, 0), Self.key(1, 1), Self.key(1, 2)])

                #expect(try collect(txn, db, .from([9])).count == 50, "only the 0xFF keys are >= [9]")
                #expect(try collect(txn, db, .from(Self.key(1, 20), upTo: Self.key(1, 10))) == [])
                #expect(try collect(txn, db, .from(Self.key(1, 20), upTo: Self.key(1, 10)), reverse: true) == [])
                #expect(try collect(txn, db, .upTo([0])) == [])
                #expect(try collect(txn, db, .upTo([0]), reverse: true) == [])
            }
        }
    }

    @Test("returning .stop ends the scan early; body errors propagate unchanged")
    func earlyStop() async throws {
        try await withEnvironment { env, _ in
            let db = try Self.fill(env)
            try env.read { txn throws in
                let firstThree = try collect(txn, db, .prefix([2]), limit: 3)
                #expect(firstThree.map(\.key) == (0..<3).map { Self.key(2, $0) })
                let lastTwo = try collect(txn, db, reverse: true, limit: 2)
                #expect(lastTwo.map(\.key) == [Self.key(0xFF, 49), Self.key(0xFF, 48)])
                var visited = 0
                #expect(throws: BodyError(tag: 3)) {
                    try txn.scan(in: db) { _, _ in
                        visited += 1
                        if visited == 5 { throw BodyError(tag: 3) }
                        return .continue
                    }
                }
                #expect(visited == 5)
            }
            // Scans inside a write transaction see its uncommitted writes.
            try env.write { txn throws in
                try txn.put(b("new"), forKey: [1, 0x80], in: db)
                var keys: [[UInt8]] = []
                try txn.scan(in: db, range: .prefix([1]), reverse: true) { key, _ in
                    keys.append(key)
                    return .stop
                }
                #expect(keys == [[1, 0x80]])
            }
        }
    }

    @Test("reverse and bounded scans over dupSort keys visit every value of the boundary keys")
    func dupSortScans() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "dups", flags: [.create, .dupSort])
            try env.write { txn throws in
                for key in ["a", "b", "c"] {
                    for value in ["1", "2", "3"] { try txn.put(b(value), forKey: b(key), in: db) }
                }
            }
            func strings(_ pairs: [Pair]) -> [String] {
                pairs.map { String(decoding: $0.key + $0.value, as: UTF8.self) }
            }
            try env.read { txn throws in
                let throughB = try strings(collect(txn, db, .through(b("b")), reverse: true))
                #expect(throughB == ["b3", "b2", "b1", "a3", "a2", "a1"])
                let belowB = try strings(collect(txn, db, .upTo(b("b")), reverse: true))
                #expect(belowB == ["a3", "a2", "a1"])
                let onlyB = try strings(collect(txn, db, .from(b("b"), through: b("b"))))
                #expect(onlyB == ["b1", "b2", "b3"])
                let fromB = try strings(collect(txn, db, .from(b("b")), reverse: true))
                #expect(fromB == ["c3", "c2", "c1", "b3", "b2", "b1"])
                let throughLast = try strings(collect(txn, db, .through(b("c")), reverse: true))
                #expect(throughLast.count == 9)
            }
        }
    }

    @Test("randomized: every scan matches a sorted-array model", arguments: [1, 2, 3] as [UInt64])
    func randomizedAgainstModel(seed: UInt64) async throws {
        var rng = SplitMix64(state: seed)
        func randomKey() -> [UInt8] {
            (0..<Int.random(in: 1...3, using: &rng)).map { _ in [0, 1, 0x7F, 0xFE, 0xFF].randomElement(using: &rng)! }
        }
        var model: [[UInt8]: [UInt8]] = [:]
        for i in 0..<120 { model[randomKey()] = b("\(i)") }
        let sorted = model.keys.sorted { $0.lexicographicallyPrecedes($1) }
        func less(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "r", flags: .create)
            try env.write { txn throws in
                for (key, value) in model { try txn.put(value, forKey: key, in: db) }
            }
            try env.read { txn throws in
                for _ in 0..<200 {
                    let x = randomKey()
                    let y = randomKey()
                    let (lo, hi) = less(x, y) ? (x, y) : (y, x)
                    let cases: [(KeyRange, ([UInt8]) -> Bool)] = [
                        (.prefix(x), { $0.starts(with: x) }),
                        (.from(lo), { !less($0, lo) }),
                        (.from(lo, upTo: hi), { !less($0, lo) && less($0, hi) }),
                        (.from(lo, through: hi), { !less($0, lo) && !less(hi, $0) }),
                        (.upTo(x), { less($0, x) }),
                        (.through(x), { !less(x, $0) }),
                    ]
                    for (range, contains) in cases {
                        let expected = sorted.filter(contains)
                        #expect(try collect(txn, db, range).map(\.key) == expected, "\(range)")
                        #expect(try collect(txn, db, range, reverse: true).map(\.key) == expected.reversed(), "\(range) reversed")
                    }
                }
            }
        }
    }
}
