public import SOMCodec

/// What happened to an order, as the orchestrator's step function receives it.
public enum OrchestratorEvent: Sendable, Hashable {
    /// The order is new or due: plan from the service point's current state.
    case evaluate
    /// The order's `next_check_at` has come: a hold, a wait, an escalation or an activity expiry.
    case recheckDue
    /// A gateway's answer to a command (`command_id` is the activity id).
    case commandResult(CommandResult)
    /// An activity left the queue or a crew reported progress (DISPATCHED, ACCEPTED, APPOINTED, ASSIGNED, ON_SITE).
    case activityProgress(activityID: String, status: ActivityStatus)
    /// A crew finished a field activity.
    case fieldCompleted(CompleteFieldWorkRequest)
    /// A crew could not do a field activity.
    case fieldNotDone(NotDoneFieldWorkRequest)
    /// An activity's lease or expiry passed without a result.
    case timedOut(activityID: String)
    /// The source or an operator wants the order cancelled.
    case cancelRequested(by: CancelSource, detail: String)
    /// The service point's device record changed (the situation carries the new one).
    case deviceUpdated
    /// An operator released the order's hold.
    case holdReleased(note: String)
    /// Another order replaced this one (a reconnect superseding a pending cut).
    case supersededBy(orderID: String)
    /// This order was merged into another one that now does the work of both (back-to-back).
    case mergedInto(orderID: String)
}

/// Who asked for a cancel.
public enum CancelSource: Sendable, Hashable {
    case source
    case `operator`
}
