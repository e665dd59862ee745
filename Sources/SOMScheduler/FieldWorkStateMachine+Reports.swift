internal import SOMCodec

extension FieldWorkStateMachine {
    /// Applies an interim update (APPOINTED, ASSIGNED or ON_SITE). It also renews the lease for
    /// `leaseAfterUpdate`, and takes back an activity queued for redelivery: the workforce system
    /// evidently still has it.
    ///
    /// - Returns: whether it was applied (a repeated identical update is applied as a heartbeat
    ///   without an event), and the events.
    public mutating func update(_ update: FieldWorkUpdate, now: SchedulerInstant) -> (applied: Bool, events: [FieldWorkEvent]) {
        var events = advance(now: now)
        guard [.appointed, .assigned, .onSite].contains(update.status) else {
            events.append(.ignoredReport(.update(update), .invalidStatus))
            return (false, events)
        }
        guard var record = live(.update(update), into: &events) else { return (false, events) }
        let id = update.activityID.rawValue
        let changed = record.activity.status != update.status || update.appointment != nil
        record.activity.status = update.status
        if let appointment = update.appointment { record.activity.item.appointmentWindow = appointment }
        if !record.isLeased { record.generation &+= 1 }
        let end = now.advanced(by: configuration.leaseAfterUpdate)
        record.activity.leaseExpiresAt = end
        record.activity.item.leaseExpiresAt = end.timestamp
        activities[id] = record
        leaseDeadlines.push(FieldLeaseDeadline(at: end.nanosecondsSinceEpoch, activityID: id))
        if changed { events.append(.updated(reference(record), update)) }
        return (true, events)
    }

    /// Completes an activity. What the crew reported (readings, remarks, disconnect location, meter
    /// installed) goes to the order with the `.completed` event, from the caller.
    public mutating func complete(activityID: ActivityID, now: SchedulerInstant) -> (applied: Bool, events: [FieldWorkEvent]) {
        var events = advance(now: now)
        guard let record = live(.complete(activityID: activityID), into: &events) else { return (false, events) }
        counters.completed += 1
        finish(activityID.rawValue, as: .completed)
        events.append(.completed(reference(record)))
        return (true, events)
    }

    /// Records that the crew could not do the work (the reason goes to the order from the caller).
    public mutating func notDone(activityID: ActivityID, now: SchedulerInstant) -> (applied: Bool, events: [FieldWorkEvent]) {
        var events = advance(now: now)
        guard let record = live(.notDone(activityID: activityID), into: &events) else { return (false, events) }
        counters.notDone += 1
        finish(activityID.rawValue, as: .notDone)
        events.append(.notDone(reference(record)))
        return (true, events)
    }

    /// The record a report applies to, or nil after appending why it is ignored. A report on a
    /// cancelled activity acknowledges the cancellation notice, which ends the activity.
    private mutating func live(_ report: FieldWorkReport, into events: inout [FieldWorkEvent]) -> FieldRecord? {
        let id = report.activityID.rawValue
        guard let record = activities[id] else {
            events.append(.ignoredReport(report, recent[id].map { .alreadyFinished($0) } ?? .unknownActivity))
            return nil
        }
        guard !record.activity.item.cancelRequested else {
            finish(id, as: .cancelled)
            events.append(.ignoredReport(report, .cancelled(orderID: OrderID(record.activity.item.orderID))))
            return nil
        }
        return record
    }

    func reference(_ record: FieldRecord) -> FieldActivityReference {
        FieldActivityReference(activityID: ActivityID(record.activity.item.activityID), orderID: OrderID(record.activity.item.orderID))
    }
}
