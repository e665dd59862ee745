public import SOMCodec

extension SchedulerStateMachine {
    /// Changes an outstanding command's priority (a reconnect whose deadline nears is escalated).
    ///
    /// A ready command takes its place at the new priority at once, keeping the age it has earned;
    /// a waiting one is ranked by it when it becomes due; a leased one keeps it for a redelivery or
    /// retry. - Returns: false when the command is not queued or leased here.
    public mutating func reprioritize(commandID: CommandAttemptID, to priority: Priority, now: SchedulerInstant) -> Bool {
        guard let slot = slot(of: commandID.rawValue) else { return false }
        let index = Int(slot)
        let raw = UInt8(clamping: priority.rawValue)
        guard records[index].priority != raw else { return true }
        records[index].priority = raw
        guard records[index].state == .ready else { return true }
        dequeueRecord(slot)
        // Heap entries are matched by ticket (the sequence's low bits): a new sequence makes the
        // entries at the old rank stale, so the command is ranked once, at its new priority.
        records[index].sequence = nextSequence
        nextSequence &+= 1
        enqueueRecord(slot, now: now.nanosecondsSinceEpoch)
        if records[index].expiresAt != CommandRecord.never {
            expiries.push(QueueEntry(key: records[index].expiresAt, ticket: records[index].ticket, slot: slot))
        }
        return true
    }
}
