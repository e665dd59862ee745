internal import DequeModule

/// The command scheduler as a plain value: per-gateway priority queues, batching, rate and
/// in-flight limits, leases, redelivery, expiry, cancellation and dead letters.
///
/// No I/O, no threads, no clock: every call takes `now`, and calls that move commands return
/// `SchedulerEvent`s for the caller to persist and pass to the orchestrator. Timers (lease ends,
/// command expiries) fire inside `pull`, `report`, `cancel` and `advance`; call `advance` by
/// `nextDeadline` so they fire even when no adapter calls (a gateway that disappeared).
///
/// Storage is a slab of compact records addressed by 32-bit slots, with key-less hash indexes by
/// command id and order id and lazily cleaned heaps: a queued command costs about 210 bytes
/// (measured by `som-bench scheduler`).
public struct SchedulerStateMachine: Sendable {
    public internal(set) var configuration: SchedulerConfiguration
    let ageStep: Int64

    var records: [CommandRecord] = []
    var freeSlot: UInt32 = CommandRecord.none
    var liveRecords = 0
    var byCommand = SlotIndex()
    var byOrder = SlotIndex()

    var gateways: [GatewayQueue] = []
    var gatewayNumbers: [GatewayID: UInt32] = [:]
    /// Gateways with queued work, served in turn by `pullAny`.
    var ring = Deque<UInt32>()

    /// Queued commands with an expiry, by expiry.
    var expiries = BinaryHeap<QueueEntry>()
    var leases: [UInt64: LeaseRecord] = [:]
    var leaseDeadlines = BinaryHeap<LeaseDeadline>()
    var nextLease: UInt64 = 1
    var nextSequence: UInt64 = 1

    var recent: RecentOutcomes<CommandDisposition>
    var deadLetterList = Deque<DeadLetter>()

    /// An empty scheduler.
    public init(configuration: SchedulerConfiguration = SchedulerConfiguration()) {
        self.configuration = configuration
        ageStep = min(max(configuration.ageStep.clampedNanoseconds, 1), PriorityRank.maxAgeStep)
        recent = RecentOutcomes(capacity: configuration.rememberedOutcomes)
    }

    /// Commands queued (waiting or ready) over all gateways.
    public var queuedCount: Int { gateways.reduce(0) { $0 + $1.queuedCount } }

    /// Commands out with adapters over all gateways.
    public var inFlightCount: Int { gateways.reduce(0) { $0 + $1.inFlight } }

    /// The dead letters still held in memory, oldest first.
    public var deadLetters: [DeadLetter] { Array(deadLetterList) }

    /// Forgets the dead letters (after the caller has stored them elsewhere).
    public mutating func removeAllDeadLetters() { deadLetterList.removeAll() }

    /// Changes one gateway's limits; commands already leased are not affected.
    public mutating func setLimits(_ limits: GatewayLimits, for gatewayID: GatewayID, now: SchedulerInstant) {
        configuration.gatewayLimits[gatewayID] = limits
        let number = gatewayNumber(gatewayID, now: now.nanosecondsSinceEpoch)
        gateways[Int(number)].limits = limits
        gateways[Int(number)].bucket = TokenBucket(limits: limits, now: now.nanosecondsSinceEpoch)
    }

    /// The earliest instant a timer (lease end, command expiry) is due, for the caller's wake-up.
    /// It may be early (an entry whose command has left), never late.
    public var nextDeadline: SchedulerInstant? {
        let candidates = [expiries.top?.key, leaseDeadlines.top?.at].compactMap { $0 }
        return candidates.min().map(SchedulerInstant.init(nanosecondsSinceEpoch:))
    }
}

/// A leased batch: its gateway, deadline and records (some may have finished since).
struct LeaseRecord: Sendable {
    var gateway: UInt32
    var expiresAt: Int64
    var slots: [UInt32]
    /// Records of the lease still waiting for their final result.
    var outstanding: Int
}

// MARK: - Slots, indexes and gateways

extension SchedulerStateMachine {
    func slot(of commandID: String) -> UInt32? {
        slot(of: commandID, hash: commandID.hashValue)
    }

    /// The slot of a command whose id hashes to `hash` (computed once per call by the caller).
    func slot(of commandID: String, hash: Int) -> UInt32? {
        byCommand.find(tag: UInt32(truncatingIfNeeded: hash)) { records[Int($0)].commandID == commandID }
    }

    mutating func gatewayNumber(_ id: GatewayID, now: Int64) -> UInt32 {
        if let number = gatewayNumbers[id] { return number }
        let number = UInt32(gateways.count)
        gateways.append(GatewayQueue(id: id, limits: configuration.limits(for: id), now: now))
        gatewayNumbers[id] = number
        return number
    }

    /// Stores `record` in a free slot and indexes it by command and order id.
    mutating func allocate(_ record: CommandRecord, commandHash: Int) -> UInt32 {
        let slot: UInt32
        if freeSlot != CommandRecord.none {
            slot = freeSlot
            freeSlot = records[Int(slot)].next
            records[Int(slot)] = record
        } else {
            slot = UInt32(records.count)
            records.append(record)
        }
        liveRecords += 1
        byCommand.insert(slot: slot, tag: UInt32(truncatingIfNeeded: commandHash))
        let orderTag = SlotIndex.hash(record.orderID)
        let orderID = record.orderID
        if let head = byOrder.find(tag: orderTag, matches: { records[Int($0)].orderID == orderID }) {
            records[Int(slot)].next = records[Int(head)].next
            records[Int(head)].next = slot
        } else {
            records[Int(slot)].next = CommandRecord.none
            byOrder.insert(slot: slot, tag: orderTag)
        }
        return slot
    }

    /// Unindexes and frees a record; heap entries pointing at it go stale and are skipped later.
    mutating func release(_ slot: UInt32, commandHash: Int) {
        let index = Int(slot)
        byCommand.remove(slot: slot, tag: UInt32(truncatingIfNeeded: commandHash))
        let orderTag = SlotIndex.hash(records[index].orderID)
        let orderID = records[index].orderID
        let next = records[index].next
        if let head = byOrder.find(tag: orderTag, matches: { records[Int($0)].orderID == orderID }) {
            if head == slot {
                if next == CommandRecord.none {
                    byOrder.remove(slot: slot, tag: orderTag)
                } else {
                    byOrder.replace(slot: slot, with: next, tag: orderTag)
                }
            } else {
                var previous = head
                while records[Int(previous)].next != slot, records[Int(previous)].next != CommandRecord.none {
                    previous = records[Int(previous)].next
                }
                if records[Int(previous)].next == slot { records[Int(previous)].next = next }
            }
        }
        records[index] = .empty
        records[index].next = freeSlot
        freeSlot = slot
        liveRecords -= 1
        if expiries.count > 2 * liveRecords + 1024 {
            let records = self.records
            expiries.compact { records[Int($0.slot)].ticket == $0.ticket && records[Int($0.slot)].state != .free }
        }
    }

    /// Puts a record into its gateway's ready or waiting heap.
    mutating func enqueueRecord(_ slot: UInt32, now: Int64) {
        let index = Int(slot)
        let gateway = Int(records[index].gateway)
        let eligibleAt = records[index].eligibleAt
        let ticket = records[index].ticket
        if eligibleAt <= now {
            records[index].state = .ready
            let key = PriorityRank.key(
                eligibleAt: eligibleAt, due: records[index].due, priority: records[index].priority, ageStep: ageStep)
            gateways[gateway].ready.push(QueueEntry(key: key, ticket: ticket, slot: slot))
            gateways[gateway].readyCount += 1
            gateways[gateway].lingerSince = min(gateways[gateway].lingerSince, eligibleAt)
        } else {
            records[index].state = .waiting
            gateways[gateway].waiting.push(QueueEntry(key: eligibleAt, ticket: ticket, slot: slot))
            gateways[gateway].waitingCount += 1
        }
        if !gateways[gateway].inRing {
            gateways[gateway].inRing = true
            ring.append(UInt32(gateway))
        }
    }

    /// Takes a queued record out of its gateway's counts (its heap entry goes stale).
    mutating func dequeueRecord(_ slot: UInt32) {
        let index = Int(slot)
        let gateway = Int(records[index].gateway)
        switch records[index].state {
        case .ready:
            gateways[gateway].readyCount -= 1
            if gateways[gateway].readyCount == 0 { gateways[gateway].lingerSince = .max }
            if gateways[gateway].ready.count > 2 * gateways[gateway].readyCount + 64 {
                let records = self.records
                gateways[gateway].ready.compact { records[Int($0.slot)].ticket == $0.ticket && records[Int($0.slot)].state == .ready }
            }
        case .waiting:
            gateways[gateway].waitingCount -= 1
            if gateways[gateway].waiting.count > 2 * gateways[gateway].waitingCount + 64 {
                let records = self.records
                gateways[gateway].waiting.compact { records[Int($0.slot)].ticket == $0.ticket && records[Int($0.slot)].state == .waiting }
            }
        default:
            break
        }
    }

    /// Counts a leased record's final answer against its lease and gateway.
    mutating func releaseFromLease(_ slot: UInt32) {
        let index = Int(slot)
        let number = records[index].lease
        gateways[Int(records[index].gateway)].inFlight -= 1
        records[index].lease = 0
        guard var lease = leases[number] else { return }
        lease.outstanding -= 1
        if lease.outstanding <= 0 {
            leases.removeValue(forKey: number)
            if leaseDeadlines.count > 2 * leases.count + 64 {
                let leases = self.leases
                leaseDeadlines.compact { leases[$0.lease]?.expiresAt == $0.at }
            }
        } else {
            leases[number] = lease
        }
    }

    func reference(_ slot: UInt32) -> CommandReference {
        let index = Int(slot)
        return CommandReference(
            commandID: CommandAttemptID(records[index].commandID), orderID: OrderID(records[index].orderID),
            gatewayID: gateways[Int(records[index].gateway)].id)
    }
}
