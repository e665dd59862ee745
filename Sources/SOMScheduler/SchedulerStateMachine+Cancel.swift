extension SchedulerStateMachine {
    /// Cancels one command. A queued command is removed; a leased one is marked so that its
    /// result is reported as ignored (the head-end may still act on it), and it is not redelivered.
    ///
    /// - Returns: the timers' events and, when the command was outstanding, `.cancelled`.
    public mutating func cancel(commandID: CommandAttemptID, now: SchedulerInstant) -> [SchedulerEvent] {
        var events: [SchedulerEvent] = []
        advance(now: now, into: &events)
        if let slot = slot(of: commandID.rawValue) { cancel(slot, into: &events) }
        return events
    }

    /// Cancels every outstanding command of an order (see `cancel(commandID:now:)`).
    public mutating func cancel(orderID: OrderID, now: SchedulerInstant) -> [SchedulerEvent] {
        var events: [SchedulerEvent] = []
        advance(now: now, into: &events)
        for slot in slots(ofOrder: orderID.rawValue) { cancel(slot, into: &events) }
        return events
    }

    /// The outstanding commands of an order, in no particular order.
    public func commands(ofOrder orderID: OrderID) -> [QueuedCommand] {
        slots(ofOrder: orderID.rawValue).map(queuedCommand(at:))
    }

    private func slots(ofOrder orderID: String) -> [UInt32] {
        var slots: [UInt32] = []
        var slot = byOrder.find(tag: SlotIndex.hash(orderID)) { records[Int($0)].orderID == orderID }
        while let current = slot {
            slots.append(current)
            let next = records[Int(current)].next
            slot = next == CommandRecord.none ? nil : next
        }
        return slots
    }

    private mutating func cancel(_ slot: UInt32, into events: inout [SchedulerEvent]) {
        let index = Int(slot)
        switch records[index].state {
        case .waiting, .ready:
            let reference = reference(slot)
            gateways[Int(records[index].gateway)].counters.cancelled += 1
            finish(slot, as: .cancelled)
            events.append(.cancelled(reference, wasInFlight: false))
        case .leased, .leasedAccepted:
            gateways[Int(records[index].gateway)].counters.cancelled += 1
            records[index].state = .leasedCancelled
            events.append(.cancelled(reference(slot), wasInFlight: true))
        case .leasedCancelled, .free:
            break
        }
    }
}
