public import SOMCodec

/// A report from the field-work adapter, as the queue reads it: which activity, and for an
/// interim update its new status and appointment. What the crew found (readings, remarks, the
/// meter installed) is the order's business, so the caller keeps it and the queue never sees it.
public enum FieldWorkReport: Sendable, Hashable {
    case update(FieldWorkUpdate)
    case complete(activityID: ActivityID)
    case notDone(activityID: ActivityID)

    /// The activity the report is about.
    public var activityID: ActivityID {
        switch self {
        case .update(let update): update.activityID
        case .complete(let activityID), .notDone(let activityID): activityID
        }
    }
}

/// An interim status from the workforce system (APPOINTED, ASSIGNED or ON_SITE).
public struct FieldWorkUpdate: Sendable, Hashable {
    public var activityID: ActivityID
    public var status: ActivityStatus
    /// The appointment agreed with the customer, when this update sets one.
    public var appointment: TimeWindow?

    /// An interim update.
    public init(activityID: ActivityID, status: ActivityStatus, appointment: TimeWindow? = nil) {
        self.activityID = activityID
        self.status = status
        self.appointment = appointment
    }
}
