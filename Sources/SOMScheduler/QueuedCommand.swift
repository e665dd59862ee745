public import SOMCodec

/// One outstanding command as a value: what the caller enqueues and what it persists.
///
/// The scheduler's whole command state can be rebuilt from these plus the open `CommandLease`s
/// (`SchedulerStateMachine.init(restoring:)`); the server keeps them by command id in LMDB and
/// rewrites one whenever an event names its command.
public struct QueuedCommand: Sendable, Hashable {
    /// Idempotency and correlation key; results are matched by it.
    public var commandID: CommandAttemptID
    public var orderID: OrderID
    public var servicePointID: String
    public var meterID: String
    /// The head-end that reaches the meter; the command waits in this gateway's queue.
    public var gatewayID: GatewayID
    public var type: CommandType
    public var priority: Priority
    /// Not sent before this instant; nil means as soon as possible.
    public var due: SchedulerInstant?
    /// Not sent at or after this instant: the command is dropped and reported expired.
    public var expiresAt: SchedulerInstant?
    /// When the command began waiting (the later of queueing and `due`): ageing counts from here.
    /// Nil when enqueueing means "now".
    public var waitingSince: SchedulerInstant?
    /// Deliveries so far; the next one is sent as attempt `attempts + 1`.
    public var attempts: UInt32
    /// Opaque parameters (CONFIGURE, LOAD_LIMIT).
    public var parameters: [UInt8]
    /// Enqueue order, assigned by the scheduler (0 when enqueueing); breaks ties first-in-first-out.
    public var sequence: UInt64
    /// The lease holding the command, when it is out with an adapter.
    public var lease: LeaseID?
    /// The head-end acknowledged the command (an ACCEPTED result) under the current lease.
    public var accepted: Bool
    /// Cancelled while leased: its result will be reported as ignored.
    public var cancelRequested: Bool

    /// A command to enqueue or restore.
    public init(
        commandID: CommandAttemptID, orderID: OrderID = "", servicePointID: String = "", meterID: String = "",
        gatewayID: GatewayID, type: CommandType, priority: Priority = .unspecified, due: SchedulerInstant? = nil,
        expiresAt: SchedulerInstant? = nil, waitingSince: SchedulerInstant? = nil, attempts: UInt32 = 0,
        parameters: [UInt8] = [], sequence: UInt64 = 0, lease: LeaseID? = nil, accepted: Bool = false,
        cancelRequested: Bool = false
    ) {
        self.commandID = commandID
        self.orderID = orderID
        self.servicePointID = servicePointID
        self.meterID = meterID
        self.gatewayID = gatewayID
        self.type = type
        self.priority = priority
        self.due = due
        self.expiresAt = expiresAt
        self.waitingSince = waitingSince
        self.attempts = attempts
        self.parameters = parameters
        self.sequence = sequence
        self.lease = lease
        self.accepted = accepted
        self.cancelRequested = cancelRequested
    }

    /// The command described by a wire `Command` (its `attempt` counts as deliveries so far).
    public init(_ command: Command) {
        self.init(
            commandID: CommandAttemptID(command.commandID), orderID: OrderID(command.orderID), servicePointID: command.servicePointID,
            meterID: command.meterID, gatewayID: GatewayID(command.gatewayID), type: command.type, priority: command.priority,
            due: command.dueAt.map(SchedulerInstant.init), expiresAt: command.expiresAt.map(SchedulerInstant.init),
            attempts: command.attempt, parameters: command.parameters)
    }

    /// The wire form an adapter receives for the next delivery.
    public var message: Command {
        Command(
            commandID: commandID.rawValue, type: type, servicePointID: servicePointID, meterID: meterID, gatewayID: gatewayID.rawValue,
            priority: priority, dueAt: due?.timestamp, expiresAt: expiresAt?.timestamp, attempt: attempts,
            parameters: parameters, orderID: orderID.rawValue)
    }
}

/// An open lease as a value, for persistence: its commands are those whose `lease` names it.
public struct CommandLease: Sendable, Hashable {
    public var id: LeaseID
    public var gatewayID: GatewayID
    public var expiresAt: SchedulerInstant

    /// A lease record.
    public init(id: LeaseID, gatewayID: GatewayID, expiresAt: SchedulerInstant) {
        self.id = id
        self.gatewayID = gatewayID
        self.expiresAt = expiresAt
    }
}
