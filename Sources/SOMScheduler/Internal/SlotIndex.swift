/// An open-addressing hash index from a string key to a record slot, storing no key.
///
/// Each bucket is 8 bytes (32-bit hash tag, 32-bit slot + 1), against ~20 bytes per bucket for a
/// `Dictionary<String, UInt32>`: the key already lives in the record, so the index keeps only the
/// slot and asks the caller whether the record at a slot matches. Linear probing with backward-shift
/// deletion, so there are no tombstones to clean up.
struct SlotIndex: Sendable {
    private var buckets: [UInt64]
    private var mask: Int
    private(set) var count = 0

    init() {
        buckets = [UInt64](repeating: 0, count: 16)
        mask = 15
    }

    /// The hash the index uses for `key`.
    static func hash(_ key: String) -> UInt32 {
        UInt32(truncatingIfNeeded: key.hashValue)
    }

    /// The slot whose record `matches`, among those stored under `tag`.
    func find(tag: UInt32, matches: (UInt32) -> Bool) -> UInt32? {
        var index = Int(tag) & mask
        while true {
            let bucket = buckets[index]
            if bucket == 0 { return nil }
            if UInt32(truncatingIfNeeded: bucket >> 32) == tag {
                let slot = UInt32(truncatingIfNeeded: bucket) &- 1
                if matches(slot) { return slot }
            }
            index = (index + 1) & mask
        }
    }

    /// Adds `slot` under `tag`; the caller has checked that no record with the same key is indexed.
    mutating func insert(slot: UInt32, tag: UInt32) {
        if (count + 1) * 4 > buckets.count * 3 { grow() }
        place(Self.bucket(slot: slot, tag: tag))
        count += 1
    }

    /// Removes the bucket holding exactly `slot`; a no-op when it is not indexed.
    mutating func remove(slot: UInt32, tag: UInt32) {
        let wanted = Self.bucket(slot: slot, tag: tag)
        var index = Int(tag) & mask
        while buckets[index] != wanted {
            if buckets[index] == 0 { return }
            index = (index + 1) & mask
        }
        buckets[index] = 0
        count -= 1
        // Backward shift: pull later entries of the probe run into the hole when that brings them
        // no further from their home bucket, so lookups never stop early at the hole.
        var hole = index
        var next = (hole + 1) & mask
        while buckets[next] != 0 {
            let home = Int(UInt32(truncatingIfNeeded: buckets[next] >> 32)) & mask
            if (next - home) & mask >= (next - hole) & mask {
                buckets[hole] = buckets[next]
                buckets[next] = 0
                hole = next
            }
            next = (next + 1) & mask
        }
    }

    /// Points the bucket of `old` at `new`, which has the same key hash.
    mutating func replace(slot old: UInt32, with new: UInt32, tag: UInt32) {
        let wanted = Self.bucket(slot: old, tag: tag)
        var index = Int(tag) & mask
        while buckets[index] != wanted {
            if buckets[index] == 0 { return }
            index = (index + 1) & mask
        }
        buckets[index] = Self.bucket(slot: new, tag: tag)
    }

    /// Bytes the index holds, for the memory report.
    var allocatedBytes: Int { buckets.capacity * MemoryLayout<UInt64>.stride }

    private static func bucket(slot: UInt32, tag: UInt32) -> UInt64 {
        UInt64(tag) << 32 | UInt64(slot &+ 1)
    }

    private mutating func place(_ bucket: UInt64) {
        var index = Int(UInt32(truncatingIfNeeded: bucket >> 32)) & mask
        while buckets[index] != 0 { index = (index + 1) & mask }
        buckets[index] = bucket
    }

    private mutating func grow() {
        let old = buckets
        buckets = [UInt64](repeating: 0, count: old.count * 2)
        mask = buckets.count - 1
        for bucket in old where bucket != 0 { place(bucket) }
    }
}
