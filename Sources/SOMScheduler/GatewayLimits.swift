/// How one gateway's commands are batched and paced.
public struct GatewayLimits: Sendable, Hashable {
    /// A batch closes when this many commands are eligible (an adapter may ask for fewer or more).
    public var batchSize: Int
    /// A smaller batch closes once its oldest eligible command has waited this long.
    public var linger: Duration
    /// Sustained commands per second the head-end accepts; nil means no limit.
    public var commandsPerSecond: Double?
    /// Commands the rate limit lets through at once after a quiet spell; nil means `batchSize`.
    public var burst: Int?
    /// Commands leased to the adapter and not yet answered, at most.
    public var maxInFlight: Int

    /// Limits with the given values; the defaults suit a head-end that takes batches of 100.
    public init(
        batchSize: Int = 100, linger: Duration = .milliseconds(50), commandsPerSecond: Double? = nil,
        burst: Int? = nil, maxInFlight: Int = 1000
    ) {
        self.batchSize = max(1, batchSize)
        self.linger = linger
        self.commandsPerSecond = commandsPerSecond.map { max($0, 0.001) }
        self.burst = burst.map { max(1, $0) }
        self.maxInFlight = max(1, maxInFlight)
    }

    /// The bucket size of the rate limit.
    var effectiveBurst: Int { burst ?? batchSize }
}
