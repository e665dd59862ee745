/// Looks names up for JSON input: a message's field names (JSON and proto spelling) or an enum's
/// value names, each mapped to a position.
///
/// An open-addressing table with an FNV-1a hash: usually one string comparison per lookup, where a
/// `switch` compares the name with every case and `Dictionary` pays for seeding SipHash each time.
struct JSONNameIndex: Sendable {
    private let names: [String]
    private let values: [Int]
    /// Indexes into `names`/`values`, or -1; a power of two at least twice the name count.
    private let slots: [Int]

    init(_ entries: [(name: String, value: Int)]) {
        var capacity = 8
        while capacity < entries.count * 2 { capacity *= 2 }
        var slots = [Int](repeating: -1, count: capacity)
        for (entry, (name, _)) in entries.enumerated() {
            var slot = Self.hash(name) & (capacity - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = entry
        }
        names = entries.map(\.name)
        values = entries.map(\.value)
        self.slots = slots
    }

    /// Both names of every field, mapped to the field's position in `fields`.
    init(fields: [ProtoField]) {
        var entries: [(name: String, value: Int)] = []
        for (position, field) in fields.enumerated() {
            entries.append((field.jsonName, position))
            if field.name != field.jsonName { entries.append((field.name, position)) }
        }
        self.init(entries)
    }

    func value(for name: String) -> Int? {
        var slot = Self.hash(name) & (slots.count - 1)
        while true {
            let entry = slots[slot]
            if entry < 0 { return nil }
            if names[entry] == name { return values[entry] }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    private static func hash(_ name: String) -> Int {
        // Through the contiguous UTF-8 (native strings, small ones included, have it): iterating
        // `utf8` byte by byte costs more than the rest of the lookup.
        name.utf8.withContiguousStorageIfAvailable { hash($0) } ?? Array(name.utf8).withUnsafeBufferPointer { hash($0) }
    }

    private static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Int(truncatingIfNeeded: hash ^ hash >> 29)
    }
}
