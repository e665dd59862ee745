internal import SOMCodec

/// What reporting a set of results did.
public struct ReportOutcome: Sendable {
    /// Per result, in order: true when it was applied, false when it was ignored.
    public var applied: [Bool]
    public var events: [SchedulerEvent]

    /// A report outcome.
    public init(applied: [Bool], events: [SchedulerEvent]) {
        self.applied = applied
        self.events = events
    }
}

extension SchedulerStateMachine {
    /// Applies results from a gateway adapter, idempotently by command id.
    ///
    /// The first final result for a command wins, whichever delivery it answers: a result that
    /// arrives after the lease expired still completes the command (the head-end did act) and
    /// stops its redelivery. Later results for the same id are ignored as duplicates. A
    /// transient failure is retried with back-off until `maxAttempts`, then dead-lettered.
    ///
    /// - Parameter gatewayID: the reporting gateway; results for another gateway's commands are
    ///   ignored. Nil skips the check.
    public mutating func report(_ results: [ReportedResult], gatewayID: GatewayID?, now: SchedulerInstant) -> ReportOutcome {
        var events: [SchedulerEvent] = []
        advance(now: now, into: &events)
        var applied: [Bool] = []
        applied.reserveCapacity(results.count)
        for result in results {
            applied.append(apply(result, gatewayID: gatewayID, now: now.nanosecondsSinceEpoch, into: &events))
        }
        return ReportOutcome(applied: applied, events: events)
    }

    /// Applies one result; timers are the caller's business.
    mutating func apply(_ result: ReportedResult, gatewayID: GatewayID?, now: Int64, into events: inout [SchedulerEvent]) -> Bool {
        let commandID = result.commandID.rawValue
        let hash = commandID.hashValue
        guard let slot = slot(of: commandID, hash: hash) else {
            let reason: IgnoredResult.Reason = recent[commandID, hash: hash].map { .alreadyFinished($0) } ?? .unknownCommand
            events.append(.ignoredResult(IgnoredResult(result: result, reason: reason)))
            return false
        }
        let index = Int(slot)
        let g = Int(records[index].gateway)
        if let gatewayID, gatewayID != gateways[g].id {
            events.append(.ignoredResult(IgnoredResult(
                result: result, reason: .wrongGateway(expected: gateways[g].id), orderID: OrderID(records[index].orderID))))
            return false
        }
        let state = records[index].state
        if state == .leasedCancelled {
            events.append(.ignoredResult(IgnoredResult(result: result, reason: .cancelled, orderID: OrderID(records[index].orderID))))
            // An ACCEPTED is not the end: the final result may still say what the meter did.
            guard result.kind != .accepted else { return false }
            releaseFromLease(slot)
            finish(slot, as: .cancelled)
            return false
        }
        switch result.kind {
        case .accepted:
            guard state == .leased else {
                let reason: IgnoredResult.Reason = state == .leasedAccepted ? .alreadyAccepted : .notLeased
                events.append(.ignoredResult(IgnoredResult(result: result, reason: reason, orderID: OrderID(records[index].orderID))))
                return false
            }
            records[index].state = .leasedAccepted
            events.append(.accepted(reference(slot)))
            return true
        case .succeeded, .outcomeUnknown, .failed:
            if state.isLeased { releaseFromLease(slot) }
            if result.kind == .failed, result.failureClass == .transient, configuration.retryTransientFailures {
                retryOrGiveUp(slot, after: result, now: now, into: &events)
                return true
            }
            switch result.kind {
            case .succeeded: gateways[g].counters.succeeded += 1
            case .failed: gateways[g].counters.failed += 1
            default: gateways[g].counters.outcomeUnknown += 1
            }
            let reference = reference(slot)
            finish(slot, as: .completed, commandHash: hash)
            events.append(.completed(reference, result))
            return true
        case .unspecified, .unrecognized:
            events.append(.ignoredResult(IgnoredResult(result: result, reason: .invalidKind, orderID: OrderID(records[index].orderID))))
            return false
        }
    }

    /// Queues a transiently failed command again after a back-off, or dead-letters it.
    private mutating func retryOrGiveUp(_ slot: UInt32, after result: ReportedResult, now: Int64, into events: inout [SchedulerEvent]) {
        let index = Int(slot)
        let attempts = UInt32(records[index].attempts)
        if Int(attempts) >= configuration.maxAttempts {
            deadLetter(slot, reason: .transientFailureOnEveryAttempt(attempts: attempts, detail: result.detail), now: now, into: &events)
            return
        }
        dequeueRecord(slot)
        let base = max(configuration.retryBackoff.clampedNanoseconds, 0)
        let shift = min(Int64(max(attempts, 1) - 1), 30)
        let (scaled, overflow) = base.multipliedReportingOverflow(by: 1 << shift)
        let backoff = min(overflow ? .max : scaled, max(configuration.maxRetryBackoff.clampedNanoseconds, 0))
        let (at, overflow2) = now.addingReportingOverflow(backoff)
        records[index].eligibleAt = overflow2 ? .max : at
        gateways[Int(records[index].gateway)].counters.retried += 1
        enqueueRecord(slot, now: now)
        events.append(.retryScheduled(
            reference(slot), attempt: attempts + 1, at: SchedulerInstant(nanosecondsSinceEpoch: records[index].eligibleAt), result))
    }
}
