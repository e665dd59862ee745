internal import SOMCodec

extension FieldWorkStateMachine {
    /// The workforce system confirms it stopped work that was cancelled after dispatch: the
    /// cancellation notice ends, and the activity leaves the queue for good.
    ///
    /// - Returns: whether a notice was open for the activity (false for an unknown, finished or
    ///   not cancelled activity; acknowledging twice is harmless), and the events.
    public mutating func acknowledgeCancel(activityID: ActivityID, now: SchedulerInstant) -> (applied: Bool, events: [FieldWorkEvent]) {
        let events = advance(now: now)
        let activityID = activityID.rawValue
        guard let record = activities[activityID], record.activity.item.cancelRequested else { return (false, events) }
        finish(activityID, as: .cancelled)
        return (true, events)
    }
}
