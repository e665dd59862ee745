public import SOMCodec

/// What one step decided: the order's new state and everything the integrator must carry out.
public struct Decision: Sendable, Hashable {
    /// The order after the step (activities included); the store bumps version and sequence.
    public var order: Order
    /// The device after the step, when the step changed it.
    public var device: ServicePointDevice?
    /// New activities, to queue for a gateway or the field-work system.
    public var activitiesToCreate: [Activity] = []
    /// Existing activities queued again (a new attempt at a new due time).
    public var activitiesToRetry: [Activity] = []
    /// Activities to take out of the queues (and, for dispatched field work, to recall).
    public var activitiesToCancel: [ActivityCancellation] = []
    /// Queued activities whose priority changed (reconnect escalation).
    public var activitiesToReprioritize: [Activity] = []
    /// Other orders on the service point to step with the given event.
    public var otherOrders: [OrderChange] = []
    /// Orders to take in (a reconnect compensating a cut that happened before its cancel).
    public var ordersToCreate: [Order] = []
    /// Events to append to the log, in order (sequence numbers left to the store).
    public var events: [OrderEvent] = []
    /// The decision-table rows applied in this step, as `<order type>: <row label>`.
    public var rowsApplied: [String] = []
    /// Set when the event changed nothing (a duplicate or stale result, a terminal order).
    public var ignoredBecause: String?

    /// Creates a decision that changes nothing yet.
    public init(order: Order) { self.order = order }
}

/// An activity to cancel.
public struct ActivityCancellation: Sendable, Hashable {
    public var activityID: String
    public var isFieldWork: Bool
    /// It had left the queue: the gateway or the field-work system must be asked to cancel it.
    public var recall: Bool

    /// Creates a cancellation.
    public init(activityID: String, isFieldWork: Bool, recall: Bool) {
        self.activityID = activityID
        self.isFieldWork = isFieldWork
        self.recall = recall
    }
}

/// A change this step makes to another order on the same service point; the integrator applies it
/// by stepping that order with `event`.
public struct OrderChange: Sendable, Hashable {
    public var orderID: String
    public var event: OrchestratorEvent

    /// Creates a change.
    public init(orderID: String, event: OrchestratorEvent) {
        self.orderID = orderID
        self.event = event
    }
}
