internal import DequeModule
internal import SOMCodec

extension SchedulerStateMachine {
    /// Fires the timers due at `now`: expired leases are redelivered (or dead-lettered after the
    /// last attempt; at once for commands that switch the supply, whose outcome is then unknown),
    /// and queued commands past their expiry are dropped.
    public mutating func advance(now: SchedulerInstant) -> [SchedulerEvent] {
        var events: [SchedulerEvent] = []
        advance(now: now, into: &events)
        return events
    }

    mutating func advance(now instant: SchedulerInstant, into events: inout [SchedulerEvent]) {
        let now = instant.nanosecondsSinceEpoch
        while let top = leaseDeadlines.top, top.at <= now {
            leaseDeadlines.pop()
            guard let lease = leases[top.lease], lease.expiresAt == top.at else { continue }
            leases.removeValue(forKey: top.lease)
            expire(lease, number: top.lease, now: now, into: &events)
        }
        while let top = expiries.top, top.key <= now {
            expiries.pop()
            let index = Int(top.slot)
            // A leased command's expiry is checked when its lease ends.
            guard records[index].ticket == top.ticket, records[index].state.isQueued else { continue }
            let command = queuedCommand(at: top.slot)
            gateways[Int(records[index].gateway)].counters.expired += 1
            finish(top.slot, as: .expired)
            events.append(.expired(command))
        }
    }

    private mutating func expire(_ lease: LeaseRecord, number: UInt64, now: Int64, into events: inout [SchedulerEvent]) {
        let g = Int(lease.gateway)
        gateways[g].counters.leaseExpiries += 1
        events.append(.leaseExpired(LeaseID(rawValue: number), gatewayID: gateways[g].id))
        for slot in lease.slots {
            let index = Int(slot)
            guard records[index].lease == number, records[index].state.isLeased else { continue }
            gateways[g].inFlight -= 1
            records[index].lease = 0
            let verify = configuration.verifyBeforeRedelivery.contains(CommandType(rawValue: Int32(records[index].type)))
            if records[index].state == .leasedCancelled {
                if verify {
                    // Cancelled while out, and no result came: the switch may have acted anyway.
                    deadLetter(slot, reason: .leaseExpiredOutcomeUnknown(attempts: UInt32(records[index].attempts)), now: now, into: &events)
                } else {
                    // Reported when it was cancelled; nothing more to say.
                    finish(slot, as: .cancelled)
                }
            } else if records[index].expiresAt <= now {
                let command = queuedCommand(at: slot)
                gateways[g].counters.expired += 1
                finish(slot, as: .expired)
                events.append(.expired(command))
            } else if verify {
                deadLetter(slot, reason: .leaseExpiredOutcomeUnknown(attempts: UInt32(records[index].attempts)), now: now, into: &events)
            } else if Int(records[index].attempts) >= configuration.maxAttempts {
                let attempts = UInt32(records[index].attempts)
                deadLetter(slot, reason: .leaseExpiredOnEveryAttempt(attempts: attempts), now: now, into: &events)
            } else {
                gateways[g].counters.redelivered += 1
                enqueueRecord(slot, now: now)
                events.append(.redeliveryQueued(reference(slot), attempt: UInt32(records[index].attempts) + 1))
            }
        }
    }

    /// Gives up on a command: it goes to the dead-letter list and its order is told what to do.
    mutating func deadLetter(_ slot: UInt32, reason: DeadLetter.Reason, now: Int64, into events: inout [SchedulerEvent]) {
        let command = queuedCommand(at: slot)
        let letter = DeadLetter(
            command: command, reason: reason, at: SchedulerInstant(nanosecondsSinceEpoch: now),
            outcome: DeadLetter.outcome(for: command.type))
        if configuration.deadLetterCapacity > 0 {
            if deadLetterList.count >= configuration.deadLetterCapacity { deadLetterList.removeFirst() }
            deadLetterList.append(letter)
        }
        gateways[Int(records[Int(slot)].gateway)].counters.deadLettered += 1
        finish(slot, as: .deadLettered)
        events.append(.deadLettered(letter))
    }

    /// Removes a command for good (from a queue or a lease whose in-flight count was already
    /// settled) and remembers how it ended.
    mutating func finish(_ slot: UInt32, as disposition: CommandDisposition, commandHash: Int? = nil) {
        dequeueRecord(slot)
        let id = records[Int(slot)].commandID
        let hash = commandHash ?? id.hashValue
        recent.record(id, hash: hash, disposition)
        release(slot, commandHash: hash)
    }
}
