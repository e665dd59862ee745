public import SOMCodec

/// One gateway's queue figures, for operators (`somctl gateways`).
public struct GatewayStatistics: Sendable, Hashable {
    public var gatewayID: GatewayID
    /// Commands waiting to be sent (not yet due or ready).
    public var queued: Int
    /// Of `queued`, those found due at the last pull.
    public var ready: Int
    /// Commands leased to the adapter without a final result.
    public var inFlight: Int
    /// Commands dispatched per second over about the last ten seconds.
    public var dispatchedPerSecond: Double
    public var dispatched: UInt64
    public var succeeded: UInt64
    public var failed: UInt64
    public var outcomeUnknown: UInt64
    public var retried: UInt64
    public var leaseExpiries: UInt64
    public var redelivered: UInt64
    public var deadLettered: UInt64
    public var expired: UInt64
    public var cancelled: UInt64

    /// Succeeded over all final outcomes (succeeded, failed, unknown, dead-lettered); nil before any.
    public var successRate: Double? {
        let total = succeeded + failed + outcomeUnknown + deadLettered
        return total == 0 ? nil : Double(succeeded) / Double(total)
    }

    /// The wire form for `Gateways/List`, whose `failed` also counts unknown outcomes (it has no
    /// column of their own).
    public var message: GatewayStats {
        GatewayStats(
            gatewayID: gatewayID.rawValue, queued: UInt64(queued), inFlight: UInt64(inFlight), ratePerS: dispatchedPerSecond,
            leaseExpiries: leaseExpiries, succeeded: succeeded, failed: failed + outcomeUnknown, deadLettered: deadLettered)
    }
}

extension SchedulerStateMachine {
    /// Figures for every gateway seen so far, by gateway id.
    public func statistics(now: SchedulerInstant) -> [GatewayStatistics] {
        gateways.indices.map { statistics(gateway: $0, now: now.nanosecondsSinceEpoch) }.sorted { $0.gatewayID < $1.gatewayID }
    }

    /// Figures for one gateway, or nil when it was never seen.
    public func statistics(gatewayID: GatewayID, now: SchedulerInstant) -> GatewayStatistics? {
        gatewayNumbers[gatewayID].map { statistics(gateway: Int($0), now: now.nanosecondsSinceEpoch) }
    }

    private func statistics(gateway g: Int, now: Int64) -> GatewayStatistics {
        let queue = gateways[g]
        let counters = queue.counters
        return GatewayStatistics(
            gatewayID: queue.id, queued: queue.queuedCount, ready: queue.readyCount, inFlight: queue.inFlight,
            dispatchedPerSecond: queue.rate.perSecond(now: now), dispatched: counters.dispatched,
            succeeded: counters.succeeded, failed: counters.failed, outcomeUnknown: counters.outcomeUnknown,
            retried: counters.retried, leaseExpiries: counters.leaseExpiries, redelivered: counters.redelivered,
            deadLettered: counters.deadLettered, expired: counters.expired, cancelled: counters.cancelled)
    }
}

extension SchedulerStateMachine {
    /// Bytes held by the scheduler's arrays and tables (their capacity, not just their use),
    /// excluding id strings longer than 15 bytes, which share the caller's storage.
    public var estimatedMemoryBytes: Int {
        var bytes = records.capacity * MemoryLayout<CommandRecord>.stride
        bytes += byCommand.allocatedBytes + byOrder.allocatedBytes
        bytes += expiries.storage.capacity * MemoryLayout<QueueEntry>.stride
        bytes += leaseDeadlines.storage.capacity * MemoryLayout<LeaseDeadline>.stride
        for gateway in gateways {
            bytes += MemoryLayout<GatewayQueue>.stride
            bytes += (gateway.ready.storage.capacity + gateway.waiting.storage.capacity) * MemoryLayout<QueueEntry>.stride
        }
        for lease in leases.values { bytes += 48 + lease.slots.capacity * MemoryLayout<UInt32>.stride }
        return bytes
    }
}
