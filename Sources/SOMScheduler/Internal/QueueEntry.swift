/// One heap entry pointing at a command record: 16 bytes, so a queued command costs little more
/// than its record.
///
/// `ticket` is the low 32 bits of the record's sequence number. It breaks ties first-in-first-out
/// and tells a live entry from a stale one left behind after the slot was freed and reused.
struct QueueEntry: Comparable, Sendable {
    var key: Int64
    var ticket: UInt32
    var slot: UInt32

    static func < (lhs: QueueEntry, rhs: QueueEntry) -> Bool {
        lhs.key != rhs.key ? lhs.key < rhs.key : lhs.ticket < rhs.ticket
    }
}

/// A lease deadline in the lease heap; stale when the lease ended or was extended since.
struct LeaseDeadline: Comparable, Sendable {
    var at: Int64
    var lease: UInt64

    static func < (lhs: LeaseDeadline, rhs: LeaseDeadline) -> Bool {
        lhs.at != rhs.at ? lhs.at < rhs.at : lhs.lease < rhs.lease
    }
}
