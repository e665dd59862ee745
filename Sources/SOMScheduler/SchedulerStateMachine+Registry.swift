// What the gateway registry needs of the command queues: whose lease a batch is, and limits that
// change while the server runs.
extension SchedulerStateMachine {
    /// The gateway of an open lease; nil when the lease is unknown or over.
    public func gateway(ofLease id: LeaseID) -> GatewayID? {
        leases[id.rawValue].map { gateways[Int($0.gateway)].id }
    }

    /// Gives one gateway the registry's rate and in-flight limits over the default limits (nil
    /// keeps the default's); with both nil the gateway goes back to the defaults. Its queue, if it
    /// has one, takes them at once with a fresh rate bucket.
    public mutating func setRegistryLimits(commandsPerSecond: Double?, maxInFlight: Int?, for gatewayID: GatewayID, now: SchedulerInstant) {
        configuration.gatewayLimits[gatewayID] = commandsPerSecond == nil && maxInFlight == nil
            ? nil : configuration.defaultGatewayLimits.overriding(commandsPerSecond: commandsPerSecond, maxInFlight: maxInFlight)
        guard let number = gatewayNumbers[gatewayID] else { return }
        let effective = configuration.limits(for: gatewayID)
        gateways[Int(number)].limits = effective
        gateways[Int(number)].bucket = TokenBucket(limits: effective, now: now.nanosecondsSinceEpoch)
    }
}

extension GatewayLimits {
    /// These limits with a registry's rate and in-flight limit where it sets them (nil keeps these).
    public func overriding(commandsPerSecond rate: Double?, maxInFlight inFlight: Int?) -> GatewayLimits {
        GatewayLimits(
            batchSize: batchSize, linger: linger, commandsPerSecond: rate ?? commandsPerSecond, burst: burst, maxInFlight: inFlight ?? maxInFlight)
    }
}
