internal import SOMCodec
internal import DequeModule

extension SchedulerStateMachine {
    /// Leases the next batch for one gateway, if one is closed and the gateway's limits allow it.
    ///
    /// A batch closes when `maxBatch` commands are eligible or the oldest eligible one has waited
    /// the gateway's linger time. Its size is then the smallest of what is eligible, `maxBatch`,
    /// the in-flight limit and the rate limit's burst; if the gateway cannot take that many yet
    /// (tokens or in-flight room), the pull waits rather than send a sliver, so head-ends see full
    /// batches at the configured rate.
    ///
    /// - Parameters:
    ///   - maxBatch: the adapter's largest batch; nil or 0 means the gateway's `batchSize`.
    ///   - lease: how long the adapter needs; nil or zero means the configured default, capped at `maxLease`.
    public mutating func pull(
        gatewayID: GatewayID, maxBatch: Int? = nil, lease: Duration? = nil, now: SchedulerInstant
    ) -> PullResult {
        var events: [SchedulerEvent] = []
        advance(now: now, into: &events)
        let gateway = gatewayNumber(gatewayID, now: now.nanosecondsSinceEpoch)
        switch pull(gateway: gateway, maxBatch: maxBatch, lease: lease, now: now.nanosecondsSinceEpoch) {
        case .success(let batch):
            events.append(.dispatched(batch))
            return PullResult(batch: batch, wait: nil, events: events)
        case .failure(let wait):
            return PullResult(batch: nil, wait: wait.reason, events: events)
        }
    }

    /// Leases the next batch of whichever gateway is next in turn and has one ready: for an adapter
    /// that serves many gateways over one stream. Gateways are served round-robin, so a gateway with
    /// a deep queue cannot crowd out the others.
    public mutating func pullAny(maxBatch: Int? = nil, lease: Duration? = nil, now: SchedulerInstant) -> PullResult {
        var events: [SchedulerEvent] = []
        advance(now: now, into: &events)
        var soonest: PullWait?
        for _ in 0..<ring.count {
            guard let gateway = ring.popFirst() else { break }
            guard gateways[Int(gateway)].queuedCount > 0 else {
                gateways[Int(gateway)].inRing = false
                continue
            }
            ring.append(gateway)
            switch pull(gateway: gateway, maxBatch: maxBatch, lease: lease, now: now.nanosecondsSinceEpoch) {
            case .success(let batch):
                events.append(.dispatched(batch))
                return PullResult(batch: batch, wait: nil, events: events)
            case .failure(let wait):
                if let at = wait.reason.retryAt, soonest?.retryAt.map({ at < $0 }) ?? true { soonest = wait.reason }
            }
        }
        return PullResult(batch: nil, wait: soonest ?? .empty, events: events)
    }

    /// Why one gateway's pull returned nothing; an `Error` only so it can ride in a `Result`.
    struct NoBatch: Error {
        var reason: PullWait
    }

    mutating func pull(gateway: UInt32, maxBatch: Int?, lease: Duration?, now: Int64) -> Result<LeasedBatch, NoBatch> {
        let g = Int(gateway)
        promoteDue(gateway: g, now: now)
        let limits = gateways[g].limits
        guard gateways[g].readyCount > 0 else {
            dropStaleWaiting(gateway: g)
            if let next = gateways[g].waiting.top {
                return .failure(NoBatch(reason: .notDueUntil(SchedulerInstant(nanosecondsSinceEpoch: next.key))))
            }
            return .failure(NoBatch(reason: .empty))
        }
        let wanted = min(maxBatch.flatMap { $0 > 0 ? $0 : nil } ?? limits.batchSize, configuration.maxBatchSize)
        let readyCount = gateways[g].readyCount
        let lingerEnds = gateways[g].lingerSince.addingReportingOverflow(limits.linger.clampedNanoseconds)
        if readyCount < wanted, !lingerEnds.overflow, lingerEnds.partialValue > now {
            return .failure(NoBatch(reason: .lingeringUntil(SchedulerInstant(nanosecondsSinceEpoch: lingerEnds.partialValue))))
        }
        var size = min(wanted, readyCount, limits.maxInFlight)
        if limits.commandsPerSecond != nil { size = min(size, limits.effectiveBurst) }
        guard limits.maxInFlight - gateways[g].inFlight >= size else { return .failure(NoBatch(reason: .inFlightLimit)) }
        if gateways[g].bucket.available(now: now) < size {
            let at = gateways[g].bucket.instant(holding: size)
            return .failure(NoBatch(reason: .rateLimitedUntil(SchedulerInstant(nanosecondsSinceEpoch: at))))
        }
        return .success(leaseBatch(gateway: g, size: size, lease: lease, now: now))
    }

    /// Moves commands whose time has come from the waiting heap to the ready heap.
    mutating func promoteDue(gateway g: Int, now: Int64) {
        while let top = gateways[g].waiting.top, top.key <= now {
            gateways[g].waiting.pop()
            let index = Int(top.slot)
            guard records[index].state == .waiting, records[index].ticket == top.ticket else { continue }
            gateways[g].waitingCount -= 1
            enqueueRecord(top.slot, now: now)
        }
    }

    /// Pops cancelled or finished entries off the waiting heap, so its top is a true wake-up time.
    private mutating func dropStaleWaiting(gateway g: Int) {
        while let top = gateways[g].waiting.top {
            let index = Int(top.slot)
            if records[index].state == .waiting, records[index].ticket == top.ticket { return }
            gateways[g].waiting.pop()
        }
    }

    /// Pops `size` live ready commands into a new lease.
    private mutating func leaseBatch(gateway g: Int, size: Int, lease: Duration?, now: Int64) -> LeasedBatch {
        let number = nextLease
        nextLease += 1
        var requested = lease.map(\.clampedNanoseconds) ?? 0
        if requested <= 0 { requested = configuration.defaultLease.clampedNanoseconds }
        let duration = min(requested, configuration.maxLease.clampedNanoseconds)
        let (sum, overflow) = now.addingReportingOverflow(duration)
        let expiresAt = overflow ? Int64.max : sum
        let gatewayID = gateways[g].id
        var commands: [Command] = []
        commands.reserveCapacity(size)
        var slots: [UInt32] = []
        slots.reserveCapacity(size)
        while slots.count < size, let top = gateways[g].ready.pop() {
            let index = Int(top.slot)
            guard records[index].state == .ready, records[index].ticket == top.ticket else { continue }
            records[index].state = .leased
            records[index].lease = number
            records[index].attempts &+= 1
            slots.append(top.slot)
            commands.append(message(at: top.slot, gatewayID: gatewayID))
        }
        gateways[g].readyCount -= slots.count
        refreshLingerClock(gateway: g)
        gateways[g].inFlight += slots.count
        gateways[g].bucket.consume(slots.count, now: now)
        gateways[g].counters.dispatched += UInt64(slots.count)
        gateways[g].rate.record(slots.count, now: now)
        leases[number] = LeaseRecord(gateway: UInt32(g), expiresAt: expiresAt, slots: slots, outstanding: slots.count)
        leaseDeadlines.push(LeaseDeadline(at: expiresAt, lease: number))
        return LeasedBatch(
            lease: LeaseID(rawValue: number), gatewayID: gatewayID, commands: commands,
            expiresAt: SchedulerInstant(nanosecondsSinceEpoch: expiresAt))
    }

    /// Restarts the linger clock from the oldest command left behind by a batch.
    ///
    /// Only needed while fewer than a batch remain (more close the next batch by size anyway),
    /// and then the heap is small: compaction keeps it under twice the live entries plus 64.
    private mutating func refreshLingerClock(gateway g: Int) {
        let remaining = gateways[g].readyCount
        guard remaining > 0 else {
            gateways[g].lingerSince = .max
            return
        }
        guard remaining <= gateways[g].limits.batchSize else { return }
        var oldest = Int64.max
        for entry in gateways[g].ready.storage {
            let index = Int(entry.slot)
            if records[index].state == .ready, records[index].ticket == entry.ticket {
                oldest = min(oldest, records[index].eligibleAt)
            }
        }
        gateways[g].lingerSince = oldest
    }

    /// Moves a lease's end to `now + duration` (capped at `maxLease`); nil or zero means the default.
    ///
    /// - Returns: the new end, or nil when the lease is unknown, finished or already past its end
    ///   (its commands are then redelivered; the adapter should stop working on them).
    public mutating func extendLease(_ id: LeaseID, by duration: Duration? = nil, now: SchedulerInstant) -> SchedulerInstant? {
        let now = now.nanosecondsSinceEpoch
        guard var lease = leases[id.rawValue], lease.expiresAt > now else { return nil }
        var requested = duration.map(\.clampedNanoseconds) ?? 0
        if requested <= 0 { requested = configuration.defaultLease.clampedNanoseconds }
        let (sum, overflow) = now.addingReportingOverflow(min(requested, configuration.maxLease.clampedNanoseconds))
        lease.expiresAt = max(lease.expiresAt, overflow ? .max : sum)
        leases[id.rawValue] = lease
        leaseDeadlines.push(LeaseDeadline(at: lease.expiresAt, lease: id.rawValue))
        return SchedulerInstant(nanosecondsSinceEpoch: lease.expiresAt)
    }

    /// The open leases, for persistence.
    public var openLeases: [CommandLease] {
        leases.sorted { $0.key < $1.key }.map { number, lease in
            CommandLease(
                id: LeaseID(rawValue: number), gatewayID: gateways[Int(lease.gateway)].id,
                expiresAt: SchedulerInstant(nanosecondsSinceEpoch: lease.expiresAt))
        }
    }
}
