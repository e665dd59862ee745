/// The command scheduler's persistent state: what the server stores and restores on start.
public struct SchedulerSnapshot: Sendable, Hashable {
    /// Every outstanding command (queued or leased), in any order.
    public var commands: [QueuedCommand]
    /// Every open lease.
    public var leases: [CommandLease]
    /// Dead letters still wanted in memory (optional: the server may keep them elsewhere).
    public var deadLetters: [DeadLetter]

    /// A snapshot.
    public init(commands: [QueuedCommand] = [], leases: [CommandLease] = [], deadLetters: [DeadLetter] = []) {
        self.commands = commands
        self.leases = leases
        self.deadLetters = deadLetters
    }
}

extension SchedulerStateMachine {
    /// Rebuilds the scheduler from persisted commands and leases.
    ///
    /// Queue order is the same as before (it depends only on each command's priority, waiting
    /// time and sequence), and leases keep their ids and deadlines, so the first pulls after a
    /// restart return what they would have returned without it. Not restored: rate-limit tokens
    /// (buckets start full), statistics, and the memory of recently finished ids. A command naming a
    /// lease that is not in the snapshot is queued again for redelivery, the safe side of
    /// at-least-once. Commands that expired or whose lease ended while the server was down are
    /// reported by the first `advance` (or pull), like any other timer.
    ///
    /// - Parameter now: new lease numbers start above both the restored ones and `now` in
    ///   microseconds, so ids never repeat across restarts even when the newest leases had ended.
    public init(configuration: SchedulerConfiguration = SchedulerConfiguration(), restoring snapshot: SchedulerSnapshot, now: SchedulerInstant) {
        self.init(configuration: configuration)
        let nowNs = now.nanosecondsSinceEpoch
        var openLeases: [UInt64: CommandLease] = [:]
        for lease in snapshot.leases { openLeases[lease.id.rawValue] = lease }
        for command in snapshot.commands.sorted(by: { $0.sequence < $1.sequence }) {
            var queued = command
            let lease = command.lease.flatMap { openLeases[$0.rawValue] }
            queued.lease = nil
            guard case .queued = insert(queued, now: nowNs, restoring: true), let lease else { continue }
            guard let slot = slot(of: command.commandID.rawValue) else { continue }
            dequeueRecord(slot)
            let index = Int(slot)
            let number = lease.id.rawValue
            records[index].state = command.cancelRequested ? .leasedCancelled : (command.accepted ? .leasedAccepted : .leased)
            records[index].lease = number
            let gateway = records[index].gateway
            gateways[Int(gateway)].inFlight += 1
            if leases[number] == nil {
                leases[number] = LeaseRecord(gateway: gateway, expiresAt: lease.expiresAt.nanosecondsSinceEpoch, slots: [], outstanding: 0)
                leaseDeadlines.push(LeaseDeadline(at: lease.expiresAt.nanosecondsSinceEpoch, lease: number))
            }
            leases[number]?.slots.append(slot)
            leases[number]?.outstanding += 1
        }
        let restoredMax = snapshot.leases.map(\.id.rawValue).max() ?? 0
        nextLease = max(restoredMax + 1, UInt64(max(nowNs / 1000, 0)), 1)
        deadLetterList.append(contentsOf: snapshot.deadLetters.suffix(configuration.deadLetterCapacity))
    }

    /// The persistent state as one value (the server normally persists per event instead).
    public func snapshot() -> SchedulerSnapshot {
        var commands: [QueuedCommand] = []
        commands.reserveCapacity(liveRecords)
        for slot in records.indices where records[slot].state != .free {
            commands.append(queuedCommand(at: UInt32(slot)))
        }
        commands.sort { $0.sequence < $1.sequence }
        return SchedulerSnapshot(commands: commands, leases: openLeases, deadLetters: deadLetters)
    }
}
