/// One gateway's queue: commands not yet due, commands ready to go, and its pacing state.
struct GatewayQueue: Sendable {
    let id: GatewayID
    var limits: GatewayLimits
    /// Ready commands by `PriorityRank` key.
    var ready = BinaryHeap<QueueEntry>()
    /// Commands not yet eligible, by `eligibleAt`.
    var waiting = BinaryHeap<QueueEntry>()
    var readyCount = 0
    var waitingCount = 0
    /// The oldest ready command's `eligibleAt`, the linger clock of the open batch: exact after
    /// a batch leaves, a lower bound after a cancellation (which can only close a batch early).
    var lingerSince: Int64 = .max
    var inFlight = 0
    var bucket: TokenBucket
    /// In the round-robin ring of `pullAny`.
    var inRing = false
    var counters = GatewayCounters()
    var rate = RateWindow()

    init(id: GatewayID, limits: GatewayLimits, now: Int64) {
        self.id = id
        self.limits = limits
        bucket = TokenBucket(limits: limits, now: now)
    }

    var queuedCount: Int { readyCount + waitingCount }
}

/// Running totals behind `GatewayStatistics`.
struct GatewayCounters: Sendable {
    var dispatched: UInt64 = 0
    var succeeded: UInt64 = 0
    var failed: UInt64 = 0
    var outcomeUnknown: UInt64 = 0
    var retried: UInt64 = 0
    var leaseExpiries: UInt64 = 0
    var redelivered: UInt64 = 0
    var deadLettered: UInt64 = 0
    var expired: UInt64 = 0
    var cancelled: UInt64 = 0
}
