/// Something the command scheduler did, for the caller to persist and tell the orchestrator.
///
/// After any event naming a command, `SchedulerStateMachine.queuedCommand(_:)` gives the value to
/// store for it, or nil when the command left the scheduler (completed, expired, dead-lettered,
/// cancelled) and its record can be deleted.
public enum SchedulerEvent: Sendable, Hashable {
    /// A batch was leased to an adapter.
    case dispatched(LeasedBatch)
    /// The head-end acknowledged a command (interim; the final result follows).
    case accepted(CommandReference)
    /// A final result: succeeded, failed (not retried here) or outcome unknown.
    case completed(CommandReference, ReportedResult)
    /// A transient failure will be retried at the instant, as delivery `attempt`.
    case retryScheduled(CommandReference, attempt: UInt32, at: SchedulerInstant, ReportedResult)
    /// A lease ended without all its results.
    case leaseExpired(LeaseID, gatewayID: GatewayID)
    /// A command of an expired lease is queued again and will go out as delivery `attempt`.
    case redeliveryQueued(CommandReference, attempt: UInt32)
    /// A command gave up after its last attempt; the order should take `outcome`.
    case deadLettered(DeadLetter)
    /// A command reached its expiry before it was sent (or before its redelivery).
    case expired(QueuedCommand)
    /// A command was cancelled; when `wasInFlight`, the head-end may still carry it out, so the
    /// order should verify the meter's state rather than assume nothing happened.
    case cancelled(CommandReference, wasInFlight: Bool)
    /// A result that changed nothing, and why.
    case ignoredResult(IgnoredResult)
}

/// The identifiers an event needs to reach the order.
public struct CommandReference: Sendable, Hashable {
    public var commandID: CommandAttemptID
    public var orderID: OrderID
    public var gatewayID: GatewayID

    /// A reference to a command.
    public init(commandID: CommandAttemptID, orderID: OrderID, gatewayID: GatewayID) {
        self.commandID = commandID
        self.orderID = orderID
        self.gatewayID = gatewayID
    }
}

/// A result that was not applied.
public struct IgnoredResult: Sendable, Hashable {
    /// Why a result was not applied.
    public enum Reason: Sendable, Hashable {
        /// The command already finished this way (a duplicate or a late result).
        case alreadyFinished(CommandDisposition)
        /// The command was cancelled while leased; the result is for the record only.
        case cancelled
        /// No such command (never known here, or finished too long ago to remember).
        case unknownCommand
        /// The command belongs to another gateway.
        case wrongGateway(expected: GatewayID)
        /// ACCEPTED for a command that is not out with an adapter.
        case notLeased
        /// ACCEPTED again under the same lease.
        case alreadyAccepted
        /// The result kind is UNSPECIFIED or unknown to this build.
        case invalidKind
    }

    public var result: ReportedResult
    public var reason: Reason
    /// The order, when the command is known.
    public var orderID: OrderID?

    /// An ignored result.
    public init(result: ReportedResult, reason: Reason, orderID: OrderID? = nil) {
        self.result = result
        self.reason = reason
        self.orderID = orderID
    }
}

/// How a command left the scheduler.
public enum CommandDisposition: UInt8, Sendable, Hashable {
    case completed, cancelled, expired, deadLettered
}
