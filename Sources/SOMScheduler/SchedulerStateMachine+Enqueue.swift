internal import SOMCodec

extension SchedulerStateMachine {
    /// Queues a command for its gateway.
    ///
    /// Idempotent by command id: a command already queued or leased, or recently finished, is not
    /// queued again. A `sequence` of 0 gets the next number; a non-zero one (a restore) is kept.
    public mutating func enqueue(_ command: QueuedCommand, now: SchedulerInstant) -> EnqueueOutcome {
        insert(command, now: now.nanosecondsSinceEpoch, restoring: false)
    }

    /// Queues a command. When `restoring`, one already past its expiry is queued anyway, so the
    /// first `advance` reports it expired instead of it vanishing during the restart.
    mutating func insert(_ command: QueuedCommand, now: Int64, restoring: Bool) -> EnqueueOutcome {
        let commandID = command.commandID.rawValue
        guard !commandID.isEmpty else { return .rejected("command id is empty") }
        guard !command.gatewayID.isEmpty else { return .rejected("gateway id is empty") }
        let rawType = command.type.rawValue
        guard (1...255).contains(rawType) else { return .rejected("command type \(rawType) cannot be scheduled") }
        let hash = commandID.hashValue
        if slot(of: commandID, hash: hash) != nil { return .duplicate }
        if let finished = recent[commandID, hash: hash] { return .alreadyFinished(finished) }
        let expiresAt = command.expiresAt?.nanosecondsSinceEpoch ?? CommandRecord.never
        if expiresAt <= now, !restoring {
            recent.record(commandID, hash: hash, .expired)
            return .expired
        }
        let sequence = command.sequence != 0 ? command.sequence : nextSequence
        nextSequence = max(nextSequence, sequence &+ 1)
        let due = command.due?.nanosecondsSinceEpoch ?? CommandRecord.noTime
        let since = command.waitingSince?.nanosecondsSinceEpoch ?? now
        let record = CommandRecord(
            commandID: commandID, orderID: command.orderID.rawValue, servicePointID: command.servicePointID,
            meterID: command.meterID, parameters: command.parameters, due: due, eligibleAt: max(due, since),
            expiresAt: expiresAt, sequence: sequence, lease: 0,
            gateway: gatewayNumber(command.gatewayID, now: now), next: CommandRecord.none,
            attempts: UInt16(clamping: command.attempts), type: UInt8(rawType),
            priority: UInt8(clamping: command.priority.rawValue), state: .waiting)
        let slot = allocate(record, commandHash: hash)
        enqueueRecord(slot, now: now)
        if expiresAt != CommandRecord.never {
            expiries.push(QueueEntry(key: expiresAt, ticket: record.ticket, slot: slot))
        }
        return .queued(sequence: sequence)
    }

    /// Queues several commands; the outcomes are in the same order.
    public mutating func enqueue(_ commands: [QueuedCommand], now: SchedulerInstant) -> [EnqueueOutcome] {
        commands.map { enqueue($0, now: now) }
    }

    /// The persistent value of an outstanding command, or nil when it is not queued or leased.
    public func queuedCommand(_ commandID: CommandAttemptID) -> QueuedCommand? {
        slot(of: commandID.rawValue).map(queuedCommand(at:))
    }

    func queuedCommand(at slot: UInt32) -> QueuedCommand {
        let record = records[Int(slot)]
        return QueuedCommand(
            commandID: CommandAttemptID(record.commandID), orderID: OrderID(record.orderID), servicePointID: record.servicePointID,
            meterID: record.meterID, gatewayID: gateways[Int(record.gateway)].id,
            type: CommandType(rawValue: Int32(record.type)), priority: Priority(rawValue: Int32(record.priority)),
            due: record.due == CommandRecord.noTime ? nil : SchedulerInstant(nanosecondsSinceEpoch: record.due),
            expiresAt: record.expiresAt == CommandRecord.never ? nil : SchedulerInstant(nanosecondsSinceEpoch: record.expiresAt),
            waitingSince: SchedulerInstant(nanosecondsSinceEpoch: record.eligibleAt),
            attempts: UInt32(record.attempts), parameters: record.parameters, sequence: record.sequence,
            lease: record.lease == 0 ? nil : LeaseID(rawValue: record.lease),
            accepted: record.state == .leasedAccepted, cancelRequested: record.state == .leasedCancelled)
    }

    /// The wire form of a record for its next delivery.
    func message(at slot: UInt32, gatewayID: GatewayID) -> Command {
        let index = Int(slot)
        let due = records[index].due
        let expiresAt = records[index].expiresAt
        return Command(
            commandID: records[index].commandID, type: CommandType(rawValue: Int32(records[index].type)),
            servicePointID: records[index].servicePointID, meterID: records[index].meterID, gatewayID: gatewayID.rawValue,
            priority: Priority(rawValue: Int32(records[index].priority)),
            dueAt: due == CommandRecord.noTime ? nil : SchedulerInstant(nanosecondsSinceEpoch: due).timestamp,
            expiresAt: expiresAt == CommandRecord.never ? nil : SchedulerInstant(nanosecondsSinceEpoch: expiresAt).timestamp,
            attempt: UInt32(records[index].attempts), parameters: records[index].parameters,
            orderID: records[index].orderID)
    }
}
