public import SOMCodec

/// A batch pulled for one gateway, leased until `expiresAt`.
public struct LeasedBatch: Sendable, Hashable {
    public var lease: LeaseID
    public var gatewayID: GatewayID
    /// The commands in dispatch order, each with its delivery `attempt` (1 for a first delivery).
    public var commands: [Command]
    public var expiresAt: SchedulerInstant

    /// A leased batch.
    public init(lease: LeaseID, gatewayID: GatewayID, commands: [Command], expiresAt: SchedulerInstant) {
        self.lease = lease
        self.gatewayID = gatewayID
        self.commands = commands
        self.expiresAt = expiresAt
    }

    /// The wire form for the adapter.
    public var message: CommandBatch {
        CommandBatch(batchID: lease.description, gatewayID: gatewayID.rawValue, commands: commands, leaseExpiresAt: expiresAt.timestamp)
    }
}

/// Why a pull returned no batch, and when trying again can help.
public enum PullWait: Sendable, Hashable {
    /// Nothing queued for the gateway.
    case empty
    /// Queued commands are not due before the instant.
    case notDueUntil(SchedulerInstant)
    /// Too few commands for a full batch, and the oldest has not waited the linger time.
    case lingeringUntil(SchedulerInstant)
    /// The gateway's rate limit has room for the batch at the instant.
    case rateLimitedUntil(SchedulerInstant)
    /// The gateway has its maximum in flight: wait for results or lease expiries.
    case inFlightLimit

    /// When a pull could next return a batch, if that depends on time alone.
    public var retryAt: SchedulerInstant? {
        switch self {
        case .empty, .inFlightLimit: nil
        case .notDueUntil(let at), .lingeringUntil(let at), .rateLimitedUntil(let at): at
        }
    }
}

/// What a pull did: a batch or the reason for none, plus what the timers did on the way.
public struct PullResult: Sendable {
    public var batch: LeasedBatch?
    /// Set when `batch` is nil.
    public var wait: PullWait?
    /// Lease expiries, redeliveries, dead letters and expiries found on the way, and `.dispatched`.
    public var events: [SchedulerEvent]

    /// A pull result.
    public init(batch: LeasedBatch?, wait: PullWait?, events: [SchedulerEvent]) {
        self.batch = batch
        self.wait = wait
        self.events = events
    }
}
