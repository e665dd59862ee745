internal import DequeModule

/// The last finished ids and how each finished, so a repeated result or enqueue is recognised as
/// a duplicate rather than reported as unknown. Bounded: the oldest are forgotten first.
struct RecentOutcomes<Disposition: Sendable>: Sendable {
    private var byID: [HashedID: Disposition] = [:]
    private var order = Deque<HashedID>()
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(id: String) -> Disposition? { self[id, hash: id.hashValue] }

    /// Looks up an id whose `hashValue` the caller already has.
    subscript(id: String, hash hash: Int) -> Disposition? {
        byID.isEmpty ? nil : byID[HashedID(id: id, hash: hash)]
    }

    mutating func record(_ id: String, _ disposition: Disposition) {
        record(id, hash: id.hashValue, disposition)
    }

    mutating func record(_ id: String, hash: Int, _ disposition: Disposition) {
        guard capacity > 0 else { return }
        let key = HashedID(id: id, hash: hash)
        if byID.updateValue(disposition, forKey: key) == nil {
            order.append(key)
            if order.count > capacity, let oldest = order.popFirst() { byID.removeValue(forKey: oldest) }
        }
    }
}

/// An id with its string hash computed once: the table then hashes a word, not the string again.
struct HashedID: Hashable, Sendable {
    var id: String
    var hash: Int

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    static func == (lhs: HashedID, rhs: HashedID) -> Bool { lhs.hash == rhs.hash && lhs.id == rhs.id }
}
