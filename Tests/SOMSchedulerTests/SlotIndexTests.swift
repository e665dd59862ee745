@testable import SOMScheduler
import Testing

@Suite("Key-less slot index", .timeLimit(.minutes(2)))
struct SlotIndexTests {
    @Test func agreesWithADictionaryUnderRandomInsertsAndRemoves() {
        var index = SlotIndex()
        var keys: [UInt32: String] = [:]
        var expected: [String: UInt32] = [:]
        var generator = SystemRandomNumberGenerator()
        var nextSlot: UInt32 = 0
        for step in 0..<20_000 {
            if expected.isEmpty || Int.random(in: 0..<3, using: &generator) > 0 {
                let key = "k\(Int.random(in: 0..<5000, using: &generator))"
                guard expected[key] == nil else { continue }
                // Force collisions as well: a tag shared by many keys must still resolve by key.
                let tag = step % 5 == 0 ? 7 : SlotIndex.hash(key)
                index.insert(slot: nextSlot, tag: tag)
                keys[nextSlot] = key
                expected[key] = nextSlot
                nextSlot += 1
            } else {
                let key = expected.keys.randomElement(using: &generator)!
                let slot = expected.removeValue(forKey: key)!
                let tag = find(index, key, keys) == slot ? tagOf(slot, index: index, keys: keys) : 0
                index.remove(slot: slot, tag: tag)
                keys.removeValue(forKey: slot)
            }
        }
        #expect(index.count == expected.count)
        for (key, slot) in expected { #expect(find(index, key, keys) == slot) }
        #expect(find(index, "absent", keys) == nil)
    }

    private func find(_ index: SlotIndex, _ key: String, _ keys: [UInt32: String]) -> UInt32? {
        index.find(tag: SlotIndex.hash(key)) { keys[$0] == key } ?? index.find(tag: 7) { keys[$0] == key }
    }

    private func tagOf(_ slot: UInt32, index: SlotIndex, keys: [UInt32: String]) -> UInt32 {
        index.find(tag: 7) { $0 == slot } != nil ? 7 : SlotIndex.hash(keys[slot]!)
    }
}
