/// A field activity's place in its pool's queue: priority (highest first), then appointment
/// window start (or queue time), then enqueue order. Cancellation notices go before everything.
struct FieldEntry: Comparable, Sendable {
    static let noticeRank: Int64 = .min

    var rank: Int64
    var start: Int64
    var sequence: UInt64
    /// Matches the record's generation while the entry is live.
    var generation: UInt32
    var activityID: String

    static func < (lhs: FieldEntry, rhs: FieldEntry) -> Bool {
        (lhs.rank, lhs.start, lhs.sequence) < (rhs.rank, rhs.start, rhs.sequence)
    }

    static func == (lhs: FieldEntry, rhs: FieldEntry) -> Bool {
        (lhs.rank, lhs.start, lhs.sequence, lhs.generation) == (rhs.rank, rhs.start, rhs.sequence, rhs.generation)
    }
}

/// A field lease deadline; stale when the activity's lease end has moved since.
struct FieldLeaseDeadline: Comparable, Sendable {
    var at: Int64
    var activityID: String

    static func < (lhs: FieldLeaseDeadline, rhs: FieldLeaseDeadline) -> Bool {
        (lhs.at, lhs.activityID) < (rhs.at, rhs.activityID)
    }
}

/// A field activity held by the queue.
struct FieldRecord: Sendable {
    var activity: QueuedFieldActivity
    /// Bumped whenever the activity enters a pool queue, so older entries read as stale.
    var generation: UInt32 = 0

    var isLeased: Bool { activity.leaseExpiresAt != nil }
}
