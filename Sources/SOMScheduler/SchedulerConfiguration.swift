public import SOMCodec

/// The tunables of the command scheduler.
public struct SchedulerConfiguration: Sendable {
    /// Limits of gateways without an entry in `gatewayLimits`.
    public var defaultGatewayLimits: GatewayLimits
    /// Per-gateway limits, by gateway id.
    public var gatewayLimits: [GatewayID: GatewayLimits]
    /// Waiting this long lifts a command by one priority level, so low-priority work is never
    /// starved; emergency commands are never overtaken.
    public var ageStep: Duration
    /// Lease of a pulled batch when the adapter names none.
    public var defaultLease: Duration
    /// Longest lease or extension an adapter may ask for.
    public var maxLease: Duration
    /// Deliveries (lease expiries or transient failures) before a command is dead-lettered.
    public var maxAttempts: Int
    /// Whether a transient failure is retried here (with back-off) instead of being reported final.
    public var retryTransientFailures: Bool
    /// Back-off before the first retry of a transient failure; doubles per attempt.
    public var retryBackoff: Duration
    /// Longest back-off between retries.
    public var maxRetryBackoff: Duration
    /// Largest batch an adapter may ask for.
    public var maxBatchSize: Int
    /// Finished command ids remembered to tell a duplicate result from an unknown one.
    public var rememberedOutcomes: Int
    /// Dead letters kept in memory (the oldest go first; the caller has persisted them from events).
    public var deadLetterCapacity: Int
    /// Command types whose expired lease is an unknown outcome, not a lost delivery: they switch
    /// the supply, so they are never delivered again on a lease expiry but dead-lettered at once
    /// (`leaseExpiredOutcomeUnknown`) for the order to verify first. Reads and pings are redelivered.
    public var verifyBeforeRedelivery: Set<CommandType> = [.remoteConnect, .remoteDisconnect, .arm]

    /// A configuration with the given values.
    public init(
        defaultGatewayLimits: GatewayLimits = GatewayLimits(), gatewayLimits: [GatewayID: GatewayLimits] = [:],
        ageStep: Duration = .seconds(300), defaultLease: Duration = .seconds(30), maxLease: Duration = .seconds(600),
        maxAttempts: Int = 5, retryTransientFailures: Bool = true, retryBackoff: Duration = .seconds(5),
        maxRetryBackoff: Duration = .seconds(300), maxBatchSize: Int = 10_000, rememberedOutcomes: Int = 100_000,
        deadLetterCapacity: Int = 10_000
    ) {
        self.defaultGatewayLimits = defaultGatewayLimits
        self.gatewayLimits = gatewayLimits
        self.ageStep = ageStep
        self.defaultLease = defaultLease
        self.maxLease = maxLease
        self.maxAttempts = max(1, maxAttempts)
        self.retryTransientFailures = retryTransientFailures
        self.retryBackoff = retryBackoff
        self.maxRetryBackoff = maxRetryBackoff
        self.maxBatchSize = max(1, maxBatchSize)
        self.rememberedOutcomes = max(0, rememberedOutcomes)
        self.deadLetterCapacity = max(0, deadLetterCapacity)
    }

    /// The limits of `gatewayID`.
    public func limits(for gatewayID: GatewayID) -> GatewayLimits {
        gatewayLimits[gatewayID] ?? defaultGatewayLimits
    }
}
