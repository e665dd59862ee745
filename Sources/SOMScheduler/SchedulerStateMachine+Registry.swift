// What the gateway registry needs of the command queues: whose lease a batch is, and limits that
// change while the server runs.
extension SchedulerStateMachine {
    /// The gateway of an open lease; nil when the lease is unknown or over.
    public func gateway(ofLease id: LeaseID) -> String? {
        leases[id.rawValue].map { gateways[Int($0.gateway)].id }
    }

    /// Gives one gateway the registry's rate and in-flight limits over the default limits (nil
    /// keeps the default's); with both nil the gateway goes back to the defaults. Its queue, if it
    /// has one, takes them at once with a fresh rate bucket.
    public mutating func setRegistryLimits(commandsPerSecond: Double?, maxInFlight: Int?, for gatewayID: String, now: SchedulerInstant) {
        if commandsPerSecond == nil && maxInFlight == nil {
            configuration.gatewayLimits[gatewayID] = nil
        } else {
            let base = configuration.defaultGatewayLimits
            configuration.gatewayLimits[gatewayID] = GatewayLimits(
                batchSize: base.batchSize, linger: base.linger, commandsPerSecond: commandsPerSecond ?? base.commandsPerSecond,
                burst: base.burst, maxInFlight: maxInFlight ?? base.maxInFlight)
        }
        guard let number = gatewayNumbers[gatewayID] else { return }
        let effective = configuration.limits(for: gatewayID)
        gateways[Int(number)].limits = effective
        gateways[Int(number)].bucket = TokenBucket(limits: effective, now: now.nanosecondsSinceEpoch)
    }
}
