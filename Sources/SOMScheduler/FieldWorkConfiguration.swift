/// The tunables of the field-work queue.
public struct FieldWorkConfiguration: Sendable {
    /// Lease of a pulled activity when the adapter names none: the time it has to hand the work to
    /// the workforce system and report the first update.
    public var defaultLease: Duration
    /// Longest lease an adapter may ask for.
    public var maxLease: Duration
    /// Each interim update (appointed, assigned, on site) renews the lease for this long: visits
    /// are days away, and the update is the workforce system's sign of life.
    public var leaseAfterUpdate: Duration
    /// Deliveries whose lease expired before an activity is dead-lettered.
    public var maxAttempts: Int
    /// Items per pull when the adapter names no maximum.
    public var defaultMaxItems: Int
    /// Finished activity ids remembered to recognise duplicate reports.
    public var rememberedOutcomes: Int

    /// A configuration with the given values.
    public init(
        defaultLease: Duration = .seconds(300), maxLease: Duration = .seconds(3600),
        leaseAfterUpdate: Duration = .seconds(7 * 86_400), maxAttempts: Int = 5, defaultMaxItems: Int = 100,
        rememberedOutcomes: Int = 100_000
    ) {
        self.defaultLease = defaultLease
        self.maxLease = maxLease
        self.leaseAfterUpdate = leaseAfterUpdate
        self.maxAttempts = max(1, maxAttempts)
        self.defaultMaxItems = max(1, defaultMaxItems)
        self.rememberedOutcomes = max(0, rememberedOutcomes)
    }
}
