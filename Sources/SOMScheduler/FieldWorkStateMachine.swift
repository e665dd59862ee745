public import SOMCodec

/// The field-work queue as a plain value: activities for the workforce adapter, ordered by
/// priority then appointment window, leased one by one, with interim updates, completion,
/// not-done, redelivery and cancellation notices.
///
/// Simpler than the command scheduler: no batching linger and no rate limit (a workforce system
/// takes what it is given and plans the crews itself). Field volumes are thousands, not millions,
/// so records are plain values in dictionaries.
public struct FieldWorkStateMachine: Sendable {
    public let configuration: FieldWorkConfiguration
    var activities: [String: FieldRecord] = [:]
    var pools: [String: BinaryHeap<FieldEntry>] = [:]
    var leaseDeadlines = BinaryHeap<FieldLeaseDeadline>()
    var byOrder: [String: Set<String>] = [:]
    var nextSequence: UInt64 = 1
    var recent: RecentOutcomes<FieldActivityDisposition>
    var counters = FieldWorkCounters()

    /// An empty queue.
    public init(configuration: FieldWorkConfiguration = FieldWorkConfiguration()) {
        self.configuration = configuration
        recent = RecentOutcomes(capacity: configuration.rememberedOutcomes)
    }

    /// Rebuilds the queue from persisted activities (leased ones keep their lease ends).
    public init(configuration: FieldWorkConfiguration = FieldWorkConfiguration(), restoring activities: [QueuedFieldActivity], now: SchedulerInstant) {
        self.init(configuration: configuration)
        for activity in activities.sorted(by: { $0.sequence < $1.sequence }) {
            _ = enqueue(activity, now: now)
        }
    }

    /// Queues an activity; idempotent by activity id.
    public mutating func enqueue(_ activity: QueuedFieldActivity, now: SchedulerInstant) -> EnqueueOutcome {
        let id = activity.item.activityID
        guard !id.isEmpty else { return .rejected("activity id is empty") }
        if activities[id] != nil { return .duplicate }
        if let finished = recent[id] {
            switch finished {
            case .cancelled: return .alreadyFinished(.cancelled)
            case .deadLettered: return .alreadyFinished(.deadLettered)
            case .completed, .notDone: return .alreadyFinished(.completed)
            }
        }
        var stored = activity
        if stored.sequence == 0 { stored.sequence = nextSequence }
        nextSequence = max(nextSequence, stored.sequence &+ 1)
        if stored.queuedAt == nil { stored.queuedAt = now }
        if stored.status == .unspecified { stored.status = .queued }
        activities[id] = FieldRecord(activity: stored)
        byOrder[stored.item.orderID, default: []].insert(id)
        if let end = stored.leaseExpiresAt {
            leaseDeadlines.push(FieldLeaseDeadline(at: end.nanosecondsSinceEpoch, activityID: id))
        } else {
            requeue(id)
        }
        return .queued(sequence: stored.sequence)
    }

    /// Leases up to `maxItems` activities of a pool ("" for every pool), best first.
    public mutating func pull(pool: String = "", maxItems: Int? = nil, lease: Duration? = nil, now: SchedulerInstant) -> (items: [FieldWorkItem], events: [FieldWorkEvent]) {
        var events = advance(now: now)
        let limit = maxItems.flatMap { $0 > 0 ? $0 : nil } ?? configuration.defaultMaxItems
        var requested = lease.map(\.clampedNanoseconds) ?? 0
        if requested <= 0 { requested = configuration.defaultLease.clampedNanoseconds }
        let end = now.advanced(by: .nanoseconds(min(requested, configuration.maxLease.clampedNanoseconds)))
        var items: [FieldWorkItem] = []
        while items.count < limit, let (poolName, entry) = best(in: pool) {
            pools[poolName]?.pop()
            guard var record = activities[entry.activityID], !record.isLeased, record.generation == entry.generation else { continue }
            record.activity.item.attempt += 1
            record.activity.leaseExpiresAt = end
            record.activity.item.leaseExpiresAt = end.timestamp
            if record.activity.status == .queued { record.activity.status = .dispatched }
            activities[entry.activityID] = record
            leaseDeadlines.push(FieldLeaseDeadline(at: end.nanosecondsSinceEpoch, activityID: entry.activityID))
            counters.dispatched += 1
            items.append(record.activity.item)
            events.append(.dispatched(record.activity.item))
        }
        return (items, events)
    }

    /// The persistent value of an outstanding activity, or nil.
    public func queuedActivity(_ activityID: ActivityID) -> QueuedFieldActivity? {
        activities[activityID.rawValue]?.activity
    }

    /// Every outstanding activity, in enqueue order.
    public func snapshot() -> [QueuedFieldActivity] {
        activities.values.map(\.activity).sorted { $0.sequence < $1.sequence }
    }

    /// The earliest lease end, for the caller's wake-up (may be early, never late).
    public var nextDeadline: SchedulerInstant? {
        leaseDeadlines.top.map { SchedulerInstant(nanosecondsSinceEpoch: $0.at) }
    }

    /// Puts an unleased activity at its place in its pool's queue.
    mutating func requeue(_ id: String) {
        guard var record = activities[id] else { return }
        record.generation &+= 1
        record.activity.leaseExpiresAt = nil
        record.activity.item.leaseExpiresAt = nil
        activities[id] = record
        let item = record.activity.item
        let rank = item.cancelRequested ? FieldEntry.noticeRank : -Int64(PriorityRank.level(UInt8(clamping: item.priority.rawValue)))
        let start = item.appointmentWindow?.start.map { SchedulerInstant($0).nanosecondsSinceEpoch }
            ?? record.activity.queuedAt?.nanosecondsSinceEpoch ?? 0
        let entry = FieldEntry(rank: rank, start: start, sequence: record.activity.sequence, generation: record.generation, activityID: id)
        pools[record.activity.pool, default: BinaryHeap()].push(entry)
    }

    /// The best entry at the top of `pool`'s queue, or of any pool's when `pool` is empty.
    private func best(in pool: String) -> (String, FieldEntry)? {
        if !pool.isEmpty { return pools[pool]?.top.map { (pool, $0) } }
        var best: (String, FieldEntry)?
        for (name, heap) in pools {
            guard let top = heap.top else { continue }
            if best.map({ top < $0.1 || (!($0.1 < top) && name < $0.0) }) ?? true { best = (name, top) }
        }
        return best
    }

    /// Removes an activity for good and remembers how it ended.
    mutating func finish(_ id: String, as disposition: FieldActivityDisposition) {
        guard let record = activities.removeValue(forKey: id) else { return }
        let orderID = record.activity.item.orderID
        byOrder[orderID]?.remove(id)
        if byOrder[orderID]?.isEmpty == true { byOrder.removeValue(forKey: orderID) }
        recent.record(id, disposition)
    }
}
