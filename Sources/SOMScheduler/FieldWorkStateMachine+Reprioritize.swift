public import SOMCodec

extension FieldWorkStateMachine {
    /// Changes an outstanding activity's priority (a reconnect whose deadline nears is escalated).
    /// One waiting in its pool takes its new place at once; one with a crew keeps it for a
    /// redelivery. - Returns: false when the activity is not outstanding here.
    public mutating func reprioritize(activityID: ActivityID, to priority: Priority) -> Bool {
        let activityID = activityID.rawValue
        guard var record = activities[activityID] else { return false }
        guard record.activity.item.priority != priority else { return true }
        record.activity.item.priority = priority
        activities[activityID] = record
        // A new generation makes the entry at the old rank stale.
        if !record.isLeased { requeue(activityID) }
        return true
    }
}
