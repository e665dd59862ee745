public import SOMCodec

extension FieldWorkStateMachine {
    /// Fires the lease ends due at `now`: each activity goes out again, or to the dead letters
    /// after its last attempt.
    public mutating func advance(now: SchedulerInstant) -> [FieldWorkEvent] {
        var events: [FieldWorkEvent] = []
        let nowNs = now.nanosecondsSinceEpoch
        while let top = leaseDeadlines.top, top.at <= nowNs {
            leaseDeadlines.pop()
            guard let record = activities[top.activityID],
                record.activity.leaseExpiresAt?.nanosecondsSinceEpoch == top.at
            else { continue }
            counters.leaseExpiries += 1
            if Int(record.activity.item.attempt) >= configuration.maxAttempts {
                counters.deadLettered += 1
                var dead = record.activity
                dead.leaseExpiresAt = nil
                finish(top.activityID, as: .deadLettered)
                events.append(.deadLettered(dead))
            } else {
                requeue(top.activityID)
                events.append(.redeliveryQueued(reference(record), attempt: record.activity.item.attempt + 1))
            }
        }
        return events
    }

    /// Cancels an activity. A queued one is removed; a dispatched one becomes a cancellation
    /// notice, delivered ahead of all other work with `cancelRequested` set, and ends with the
    /// adapter's next report on it (usually NotDone).
    public mutating func cancel(activityID: ActivityID, now: SchedulerInstant) -> [FieldWorkEvent] {
        var events = advance(now: now)
        cancel(activityID.rawValue, into: &events)
        return events
    }

    /// Cancels every outstanding activity of an order.
    public mutating func cancel(orderID: OrderID, now: SchedulerInstant) -> [FieldWorkEvent] {
        var events = advance(now: now)
        for id in (byOrder[orderID.rawValue] ?? []).sorted() { cancel(id, into: &events) }
        return events
    }

    private mutating func cancel(_ id: String, into events: inout [FieldWorkEvent]) {
        guard var record = activities[id], !record.activity.item.cancelRequested else { return }
        counters.cancelled += 1
        let dispatched = record.activity.item.attempt > 0
        guard dispatched else {
            finish(id, as: .cancelled)
            events.append(.cancelled(reference(record), wasDispatched: false))
            return
        }
        record.activity.item.cancelRequested = true
        record.activity.item.attempt = 0
        activities[id] = record
        requeue(id)
        events.append(.cancelled(reference(record), wasDispatched: true))
    }

    /// Queue figures for `somctl fieldwork`.
    public var statistics: FieldWorkStatistics {
        var statistics = FieldWorkStatistics(counters: counters)
        for record in activities.values {
            if record.isLeased { statistics.inFlight += 1 } else { statistics.queued += 1 }
        }
        return statistics
    }
}

/// Running totals of the field-work queue.
struct FieldWorkCounters: Sendable {
    var dispatched: UInt64 = 0
    var completed: UInt64 = 0
    var notDone: UInt64 = 0
    var leaseExpiries: UInt64 = 0
    var deadLettered: UInt64 = 0
    var cancelled: UInt64 = 0
}

/// The field-work queue's figures, for operators.
public struct FieldWorkStatistics: Sendable, Hashable {
    public var queued = 0
    public var inFlight = 0
    public var dispatched: UInt64
    public var completed: UInt64
    public var notDone: UInt64
    public var leaseExpiries: UInt64
    public var deadLettered: UInt64
    public var cancelled: UInt64

    init(counters: FieldWorkCounters) {
        dispatched = counters.dispatched
        completed = counters.completed
        notDone = counters.notDone
        leaseExpiries = counters.leaseExpiries
        deadLettered = counters.deadLettered
        cancelled = counters.cancelled
    }

    /// The wire form for `FieldWork/Stats` (`dispatched` there means out with the adapter now).
    public var message: FieldWorkStatsResponse {
        FieldWorkStatsResponse(
            queued: UInt64(queued), dispatched: UInt64(inFlight), completed: completed, notDone: notDone,
            leaseExpiries: leaseExpiries)
    }
}
