public import SOMCodec

/// What one decision asks of the queues. A batch of decisions' changes goes to the scheduler in
/// one call (`Scheduler.apply`), applied in the order given, so an order's later decision sees
/// its earlier one's effect exactly as if each had been applied alone.
public struct QueueChanges: Sendable {
    /// The order the decision is about (its commands are found by it).
    public var orderID: OrderID
    /// Commands to queue.
    public var commands: [QueuedCommand] = []
    /// Field activities to queue.
    public var fieldWork: [QueuedFieldActivity] = []
    /// Activities whose outstanding command (whichever attempt) is cancelled.
    public var cancelCommandsOf: [ActivityID] = []
    /// Field activities cancelled.
    public var cancelFieldWork: [ActivityID] = []
    /// Activities whose queued command or field activity moves to a new priority.
    public var reprioritize: [(activityID: ActivityID, priority: Priority, isFieldWork: Bool)] = []

    /// No changes for `orderID` yet.
    public init(orderID: OrderID) { self.orderID = orderID }

    /// Whether the decision asks nothing of the queues.
    public var isEmpty: Bool {
        commands.isEmpty && fieldWork.isEmpty && cancelCommandsOf.isEmpty && cancelFieldWork.isEmpty && reprioritize.isEmpty
    }
}

/// What the queues did with one `QueueChanges`' new work, in the same order as it was given.
public struct QueueChangeOutcome: Sendable {
    /// One per command.
    public var commands: [EnqueueOutcome] = []
    /// One per field activity.
    public var fieldWork: [EnqueueOutcome] = []
}

extension Scheduler {
    /// Applies decisions' changes in order, in one call: queue, cancel, reprioritize.
    public func apply(_ changes: [QueueChanges]) -> [QueueChangeOutcome] {
        changes.map { change in
            var outcome = QueueChangeOutcome()
            if !change.commands.isEmpty { outcome.commands = enqueue(change.commands) }
            outcome.fieldWork = change.fieldWork.map { enqueueFieldWork($0) }
            if !change.cancelCommandsOf.isEmpty {
                let activities = Set(change.cancelCommandsOf)
                for command in commands(ofOrder: change.orderID) where activities.contains(command.commandID.activityID) {
                    _ = cancel(commandID: command.commandID)
                }
            }
            for activityID in change.cancelFieldWork { _ = cancelFieldWork(activityID: activityID) }
            if !change.reprioritize.isEmpty {
                // Escalation reaches the queue: the queued command goes out at its new priority.
                let queued = commands(ofOrder: change.orderID)
                for (activityID, priority, isFieldWork) in change.reprioritize {
                    if isFieldWork { _ = reprioritizeFieldWork(activityID: activityID, to: priority) }
                    for command in queued where command.commandID.activityID == activityID {
                        _ = reprioritize(commandID: command.commandID, to: priority)
                    }
                }
            }
            return outcome
        }
    }
}
