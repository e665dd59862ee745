public import SOMCodec

/// Something the field-work queue did, for the caller to persist and pass to the orchestrator.
/// After an event, `FieldWorkStateMachine.queuedActivity(_:)` gives the value to store, or nil.
public enum FieldWorkEvent: Sendable, Hashable {
    /// An item was leased to the adapter (a cancellation notice when `cancelRequested`).
    case dispatched(FieldWorkItem)
    /// An interim status from the workforce system.
    case updated(FieldActivityReference, FieldWorkUpdate)
    /// The work was done; what the crew reported stays with the caller.
    case completed(FieldActivityReference)
    /// The crew could not do the work; why stays with the caller.
    case notDone(FieldActivityReference)
    /// A lease ended without a report; the activity goes out again as delivery `attempt`.
    case redeliveryQueued(FieldActivityReference, attempt: UInt32)
    /// Every delivery's lease expired; the order must decide (the work may never have reached a crew).
    case deadLettered(QueuedFieldActivity)
    /// Cancelled; when `wasDispatched`, a cancellation notice goes to the workforce system.
    case cancelled(FieldActivityReference, wasDispatched: Bool)
    /// A report that changed nothing, with why.
    case ignoredReport(FieldWorkReport, FieldWorkIgnoredReason)
}

/// The identifiers an event needs to reach the order.
public struct FieldActivityReference: Sendable, Hashable {
    public var activityID: ActivityID
    public var orderID: OrderID

    /// A reference to a field activity.
    public init(activityID: ActivityID, orderID: OrderID) {
        self.activityID = activityID
        self.orderID = orderID
    }
}

/// Why a field-work report was not applied.
public enum FieldWorkIgnoredReason: Sendable, Hashable {
    /// The activity already finished this way.
    case alreadyFinished(FieldActivityDisposition)
    /// The activity was cancelled; the report acknowledges the cancellation and is kept for the
    /// record (a crew that completed anyway changed the site).
    case cancelled(orderID: OrderID)
    case unknownActivity
    /// An update whose status is not APPOINTED, ASSIGNED or ON_SITE.
    case invalidStatus
}

/// How a field activity left the queue.
public enum FieldActivityDisposition: UInt8, Sendable, Hashable {
    case completed, notDone, cancelled, deadLettered
}
