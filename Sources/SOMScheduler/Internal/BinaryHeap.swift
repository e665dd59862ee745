/// A min-heap over a contiguous array.
///
/// Entries are never removed from the middle: callers mark a record dead and skip its entry when
/// it reaches the top ("lazy deletion"), then call `compact` once dead entries outnumber live ones.
/// That keeps every operation O(log n) with no back-pointers from records into the heap.
struct BinaryHeap<Element: Comparable & Sendable>: Sendable {
    private(set) var storage: [Element] = []

    var count: Int { storage.count }
    var isEmpty: Bool { storage.isEmpty }
    var top: Element? { storage.first }

    mutating func push(_ element: Element) {
        storage.append(element)
        siftUp(from: storage.count - 1)
    }

    @discardableResult
    mutating func pop() -> Element? {
        guard let last = storage.popLast() else { return nil }
        guard !storage.isEmpty else { return last }
        let first = storage[0]
        storage[0] = last
        siftDown(from: 0)
        return first
    }

    /// Drops the entries `isLive` rejects and restores the heap order in O(n).
    mutating func compact(isLive: (Element) -> Bool) {
        storage.removeAll { !isLive($0) }
        if storage.count > 1 {
            for index in stride(from: storage.count / 2 - 1, through: 0, by: -1) { siftDown(from: index) }
        }
        if storage.capacity > 2 * storage.count + 16 { storage = Array(storage) }
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        let moving = storage[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard moving < storage[parent] else { break }
            storage[child] = storage[parent]
            child = parent
        }
        storage[child] = moving
    }

    private mutating func siftDown(from start: Int) {
        let count = storage.count
        var parent = start
        let moving = storage[parent]
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, storage[child + 1] < storage[child] { child += 1 }
            guard storage[child] < moving else { break }
            storage[parent] = storage[child]
            parent = child
        }
        storage[parent] = moving
    }
}
