public import SOMCodec

/// One outstanding field activity as a value: what the caller enqueues and persists.
///
/// `item.attempt` counts deliveries so far, `item.cancelRequested` marks an activity cancelled
/// after dispatch whose cancellation the workforce system still has to receive.
public struct QueuedFieldActivity: Sendable, Hashable {
    /// The work as the workforce system receives it (its `leaseExpiresAt` is set on delivery).
    public var item: FieldWorkItem
    /// Crew pool or region; adapters pulling for a pool see only its work, pulls for "" see all.
    public var pool: String
    /// When the activity was queued; it orders activities without an appointment window.
    public var queuedAt: SchedulerInstant?
    /// Enqueue order, assigned by the state machine (0 when enqueueing).
    public var sequence: UInt64
    /// QUEUED, DISPATCHED, or the last interim status (APPOINTED, ASSIGNED, ON_SITE).
    public var status: ActivityStatus
    /// The end of the current lease, when the activity is out with the adapter.
    public var leaseExpiresAt: SchedulerInstant?

    /// An activity to enqueue or restore.
    public init(
        item: FieldWorkItem, pool: String = "", queuedAt: SchedulerInstant? = nil, sequence: UInt64 = 0,
        status: ActivityStatus = .queued, leaseExpiresAt: SchedulerInstant? = nil
    ) {
        self.item = item
        self.pool = pool
        self.queuedAt = queuedAt
        self.sequence = sequence
        self.status = status
        self.leaseExpiresAt = leaseExpiresAt
    }

    public var activityID: ActivityID { ActivityID(item.activityID) }
}
