import SOMLMDB
import SOMTestSupport
import Testing

@Suite("Key encoding: fixed-width big-endian integers", .timeLimit(.minutes(2)))
struct KeyEncodingTests {
    @Test("bytes are most-significant first")
    func layout() {
        #expect(UInt64(0x0102_0304_0506_0708).bigEndianBytes == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(UInt32(0x0A0B_0C0D).bigEndianBytes == [0x0A, 0x0B, 0x0C, 0x0D])
        #expect(UInt16(0x0102).bigEndianBytes == [1, 2])
        #expect(UInt64(1).bigEndianBytes == [0, 0, 0, 0, 0, 0, 0, 1])
        var composite: [UInt8] = [0xAA]
        composite.appendBigEndian(UInt32(5))
        composite.appendBigEndian(UInt16(0x0102))
        #expect(composite == [0xAA, 0, 0, 0, 5, 1, 2])
    }

    @Test("round trip, including unaligned slices inside longer keys")
    func roundTrip() {
        var rng = SplitMix64(state: 99)
        for _ in 0..<1000 {
            let n = rng.next()
            #expect(UInt64(bigEndianBytes: n.bigEndianBytes) == n)
            let m = UInt32(truncatingIfNeeded: n)
            #expect(UInt32(bigEndianBytes: m.bigEndianBytes) == m)
            let key: [UInt8] = [7] + n.bigEndianBytes + [9]
            #expect(UInt64(bigEndianBytes: key[1..<9]) == n, "offset 1 is unaligned")
        }
        #expect(UInt64(bigEndianBytes: [1, 2, 3]) == nil)
        #expect(UInt32(bigEndianBytes: [UInt8](repeating: 0, count: 8)) == nil)
        #expect(UInt16(bigEndianBytes: [0xFF, 0xFE]) == 0xFFFE)
        #expect(KeyEncoding.decode(UInt64.self, bigEndianBytes: [0, 0, 0, 0, 0, 0, 1, 0].lazy.map { $0 }) == 256)
    }

    @Test("byte order equals numeric order")
    func orderPreserving() {
        var rng = SplitMix64(state: 5)
        var values: [UInt64] = [0, 1, 255, 256, 65_535, 65_536, .max, .max - 1]
        for _ in 0..<500 { values.append(rng.next() >> (rng.next() % 64)) }
        let byBytes = values.sorted { $0.bigEndianBytes.lexicographicallyPrecedes($1.bigEndianBytes) }
        #expect(byBytes == values.sorted())
    }
}
