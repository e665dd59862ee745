public import Logging
import NIOConcurrencyHelpers
public import SOMCodec
public import SOMOrchestration
public import SOMScheduler
public import SOMStore

/// Drives orders to completion: runs the orchestrator's step function inside the store's
/// transaction (so each decision and its effects commit together), then carries out what the
/// decision asks for — queue commands and field work, cancel them, step other orders.
public final class OrderEngine: Sendable {
    /// The store the engine steps orders in.
    public let store: OrderStore
    /// The per-gateway command queues and the field-work queue.
    public let scheduler: Scheduler
    /// Rings when commands or field work are queued, so adapters' pulls need not poll.
    public let newWork = Watermark()
    /// Retries, deadlines and the guardrail; its limits may change on a rules reload (`reloadRules`).
    /// Retries, deadlines and the guardrail decisions follow (replaced on a rules reload).
    public var policy: OrchestrationPolicy { policyBox.withLockedValue { $0 } }
    private let policyBox: NIOLockedValueBox<OrchestrationPolicy>
    private let inputs: NIOLockedValueBox<BusinessInputs>
    private let disconnects: DisconnectVolumeTracker
    /// Steps and orders a failed commit left undone; the timer loop tries them again.
    let owed = OwedWork()
    /// Shut while the queues are rebuilt after a start (see `restore(_:)`).
    let restoration: RestoreGate
    let logger: Logger
    /// Dispatch-to-result times per gateway, for metrics.
    let commandLatency = CommandLatency()
    /// The time timers and the guardrail's rebuild go by (the store stamps decisions with its own).
    let clock: @Sendable () -> Timestamp

    /// Steps applied together in one store transaction.
    static let stepBatch = 256
    /// How deep decisions may chain into other orders' steps (supersede → cancel → compensate ...).
    static let maxChain = 8

    /// Creates the engine.
    /// - Parameters:
    ///   - restoring: the scheduler is still empty and `restore(_:)` will fill it; until then steps,
    ///     timers and adapters wait. False: the scheduler is ready (already restored, or a new store).
    ///   - clock: wall-clock time; tests pass the store's manual clock.
    public init(
        store: OrderStore, scheduler: Scheduler, policy: OrchestrationPolicy = .standard, inputs: BusinessInputs = BusinessInputs(),
        logger: Logger, restoring: Bool = false, clock: @escaping @Sendable () -> Timestamp = Timestamp.now
    ) {
        self.restoration = RestoreGate(restoring: restoring)
        self.clock = clock
        self.store = store
        self.scheduler = scheduler
        self.policyBox = NIOLockedValueBox(policy)
        self.inputs = NIOLockedValueBox(inputs)
        self.disconnects = DisconnectVolumeTracker(window: policy.guardrail.window)
        self.logger = logger
    }

    /// The business-rule inputs (calendar, moratoria, disconnect volumes) decisions see.
    public var businessInputs: BusinessInputs {
        get { inputs.withLockedValue { $0 } }
        set { inputs.withLockedValue { $0 = newValue } }
    }

    /// Rebuilds the mass-disconnect guardrail's window from the event log (at start, before any
    /// order is stepped), so cuts queued before a restart still count.
    public func restoreGuardrailWindow() throws(StoreError) {
        let now = clock()
        let since = now.adding(.zero - policy.guardrail.window)
        disconnects.rebuild(
            from: try store.events(since: since, types: [.activityCreated], orderTypes: [.cutForNonPayment]), now: now)
    }

    /// The remote cuts for non-payment the guardrail counts in its window now, per gateway.
    public func disconnectVolume() -> DisconnectVolume {
        disconnects.volume(at: clock())
    }

    /// Replaces the policy (a rules reload).
    public func setPolicy(_ policy: OrchestrationPolicy) {
        policyBox.withLockedValue { $0 = policy }
    }

    /// Changes the business-rule inputs.
    public func updateInputs(_ change: (inout BusinessInputs) -> Void) {
        inputs.withLockedValue { change(&$0) }
    }

    /// Rebuilds the queues from the store (blocking reads, on a thread of their own), rebuilds the
    /// guardrail's window, lets waiting steps, timers and adapters go on, then takes the steps owed
    /// from before the restart. Returns what was restored.
    public func restore(configuration: SchedulerConfiguration) async throws(StoreError) -> RestoredWork {
        do {
            let (store, pools, now) = (self.store, businessInputs, clock())
            let work = try await BlockingWork.run("som-restore") { () throws(StoreError) -> RestoredWork in
                try Self.restoredWork(store: store, configuration: configuration, crewPools: pools, now: now)
            }
            await scheduler.restore(SchedulerSnapshot(commands: work.commands), fieldWork: work.fieldActivities)
            let guardrailStarted = ContinuousClock.now
            try await BlockingWork.run("som-guardrail") { [self] () throws(StoreError) in try restoreGuardrailWindow() }
            logger.info("guardrail window rebuilt from the event log", metadata: ["seconds": "\(ContinuousClock.now - guardrailStarted)"])
            restoration.open()
            return work
        } catch {
            restoration.fail()
            throw error
        }
    }

    /// Waits until the queues are rebuilt after a start; adapters' calls go through here first.
    /// - Throws: `StoreError.closed` (UNAVAILABLE) when the rebuild failed and the server is stopping.
    public func waitUntilRestored() async throws(StoreError) {
        guard await restoration.wait() else { throw .closed }
    }

    /// Whether the queues are rebuilt (false while a start is still restoring them).
    public var isRestored: Bool { restoration.isOpen }

    /// Steps each order with its event (in batches sharing a commit), then carries out the decisions.
    /// Returns once every decision, and every step it chained into, is durable and carried out.
    /// While the queues are rebuilt after a start, waits for them first. With `audit` (an
    /// operator's action), each stepped order gets that entry, targeted at it, in the transaction
    /// of its step; such steps are not owed when they cannot commit (the operator hears the error).
    /// - Returns: nil when every item was taken in (or refused for good, e.g. an unknown order);
    ///   the store's error when some could not commit and are owed (tried again later, see
    ///   `OwedWork`): a caller that acknowledges durability must not acknowledge then.
    @discardableResult
    public func step(_ items: [(orderID: String, event: OrchestratorEvent)], depth: Int = 0, audit: AuditEntry? = nil) async -> StoreError? {
        guard !items.isEmpty else { return nil }
        guard await restoration.wait() else {
            logger.warning("steps not taken: the queues could not be rebuilt", metadata: ["orders": "\(items.count)"])
            return .closed
        }
        var failure: StoreError?
        var start = 0
        while start < items.count {
            let slice = Array(items[start..<min(start + Self.stepBatch, items.count)])
            start += slice.count
            if let error = await stepBatch(slice, depth: depth, audit: audit) { failure = failure ?? error }
        }
        return failure
    }

    /// Steps one order; see `step(_:depth:audit:)` for the answer.
    @discardableResult
    public func step(_ orderID: String, _ event: OrchestratorEvent, audit: AuditEntry? = nil) async -> StoreError? {
        await step([(orderID, event)], audit: audit)
    }

    /// Steps one batch in one commit; the error when some of these items (not their follow-ups,
    /// which are consequences of committed decisions) could not commit.
    private func stepBatch(_ items: [(orderID: String, event: OrchestratorEvent)], depth: Int, audit: AuditEntry?) async -> StoreError? {
        let inputs = businessInputs
        let policy = self.policy
        let disconnects = self.disconnects
        let events = items.map(\.event)
        let results: [Result<(ServicePointChanges, StepOutcome), StoreError>]
        do {
            results = try await store.changeMany(orderIDs: items.map(\.orderID), { index, snapshot, now throws(StoreError) in
                // Pure: this closure may run again when the transaction is rerun. The guardrail sees
                // the committed cuts plus those of earlier decisions in this transaction (the tally).
                var rules = inputs.forRegion(snapshot.device?.region ?? "")
                rules.disconnectVolume = disconnects.volume(at: now, pending: snapshot.tally)
                let situation = Situation(
                    order: snapshot.order, device: snapshot.device,
                    otherOrders: snapshot.otherOpenOrders.map(OrderOnServicePoint.init), rules: rules, now: now)
                guard let event = Self.forCurrentAttempt(events[index], of: snapshot.order) else {
                    var ignored = Decision(order: snapshot.order)
                    ignored.ignoredBecause = "answers an earlier attempt"
                    return (ServicePointChanges(), StepOutcome(decision: ignored, waiting: [], at: now))
                }
                let decision = Orchestrator.step(situation, event, policy: policy)
                let cuts = DisconnectVolumeTracker.cuts(in: decision, device: snapshot.device)
                // One order at a time per service point: when this one finishes, the orders that
                // waited for it are looked at again now, not at their next check time.
                let waiting = decision.order.status.isTerminal && !snapshot.order.status.isTerminal
                    ? snapshot.otherOpenOrders.filter { $0.status == .scheduled }.map(\.orderID) : []
                let outcome = StepOutcome(decision: decision, waiting: waiting, cuts: cuts, device: decision.device ?? snapshot.device, at: now)
                // The operator's action is recorded even when it changed nothing (released an order
                // a re-check held again at once): the attempt is what the audit is about.
                var entries: [AuditEntry] = []
                if var targeted = audit {
                    targeted.target = snapshot.order.orderID
                    entries.append(targeted)
                }
                if decision.ignoredBecause != nil, decision.order == snapshot.order, decision.events.isEmpty {
                    return (ServicePointChanges(audit: entries), outcome)
                }
                var tally: [String: Int] = [:]
                for gateway in cuts { tally[DisconnectVolumeTracker.tallyKey(gateway), default: 0] += 1 }
                return (ServicePointChanges(orders: [(decision.order, decision.events)], device: decision.device, tally: tally, audit: entries), outcome)
            }, committed: { results in
                // On the writer thread, before the next transaction: later decisions see these cuts.
                for case .success(let (_, outcome)) in results { disconnects.commit(outcome.cuts, at: outcome.at) }
            })
        } catch {
            if audit == nil { owe(items, after: error) } else { logger.error("operator action failed", metadata: ["error": "\(error)"]) }
            return error
        }
        var failure: StoreError?
        var followUps: [(orderID: String, event: OrchestratorEvent)] = []
        var decided: [(decision: Decision, order: Order, changes: QueueChanges)] = []
        for (item, result) in zip(items, results) {
            switch result {
            case .success(let (stored, outcome)):
                let order = stored.orders.first?.order ?? outcome.decision.order
                decided.append((outcome.decision, order, Self.queueChanges(outcome.decision, order: order, device: outcome.device, pools: inputs)))
                followUps += outcome.waiting.map { ($0, OrchestratorEvent.recheckDue) }
            case .failure(let error) where OwedWork.isTransient(error):
                if audit == nil { owe([item], after: error) }
                failure = failure ?? error
            case .failure(let error):
                logger.warning("cannot step order", metadata: ["order": "\(item.orderID)", "error": "\(error)"])
            }
        }
        followUps += await carryOut(decided)
        if !followUps.isEmpty {
            guard depth < Self.maxChain else {
                logger.error("decision chain too deep; stopping", metadata: ["orders": "\(followUps.map(\.orderID))"])
                return failure
            }
            await step(followUps, depth: depth + 1)
        }
        return failure
    }

    /// What a decision asks of the queues, in the scheduler's terms. Pure.
    static func queueChanges(_ decision: Decision, order: Order, device: ServicePointDevice?, pools: BusinessInputs) -> QueueChanges {
        var changes = QueueChanges(orderID: OrderID(order.orderID))
        for activity in decision.activitiesToCreate + decision.activitiesToRetry {
            if activity.command != .unspecified {
                changes.commands.append(command(activity, order: order, device: device))
            } else if activity.fieldActivity != .unspecified {
                changes.fieldWork.append(fieldWork(activity, order: order, device: device, pools: pools))
            }
        }
        for cancellation in decision.activitiesToCancel {
            if cancellation.isFieldWork {
                changes.cancelFieldWork.append(ActivityID(cancellation.activityID))
            } else {
                changes.cancelCommandsOf.append(ActivityID(cancellation.activityID))
            }
        }
        changes.reprioritize = decision.activitiesToReprioritize.map {
            (ActivityID($0.activityID), $0.priority, $0.fieldActivity != .unspecified)
        }
        return changes
    }

    /// Carries out a batch's decisions: one call to the queues for all of them (in order), then
    /// what the queues refused, the other orders the decisions touch and the orders they create.
    /// Returns the follow-up steps.
    private func carryOut(_ decided: [(decision: Decision, order: Order, changes: QueueChanges)]) async -> [(orderID: String, event: OrchestratorEvent)] {
        var followUps: [(orderID: String, event: OrchestratorEvent)] = []
        let changes = decided.map(\.changes).filter { !$0.isEmpty }
        if !changes.isEmpty {
            var outcomes = await scheduler.apply(changes)[...]
            if changes.contains(where: { !$0.commands.isEmpty || !$0.fieldWork.isEmpty }) { newWork.bump() }
            for (_, order, change) in decided where !change.isEmpty {
                guard let outcome = outcomes.popFirst() else { break }
                for (command, result) in zip(change.commands, outcome.commands) {
                    followUps += notQueued(command.commandID.rawValue, result, order: order, isCommand: true)
                }
                for (activity, result) in zip(change.fieldWork, outcome.fieldWork) {
                    followUps += notQueued(activity.activityID.rawValue, result, order: order, isCommand: false)
                }
            }
        }
        for (decision, order, _) in decided {
            for change in decision.otherOrders { followUps.append((change.orderID, change.event)) }
            if !decision.ordersToCreate.isEmpty {
                followUps += await create(decision.ordersToCreate, by: order.orderID)
            }
        }
        return followUps
    }

    /// What the order must hear when the queue would not take its work: work already past its
    /// expiry has timed out, work that cannot be scheduled has failed for good. Either way the
    /// order decides what comes next instead of waiting for work nobody will do.
    private func notQueued(_ id: String, _ outcome: EnqueueOutcome, order: Order, isCommand: Bool) -> [(orderID: String, event: OrchestratorEvent)] {
        switch outcome {
        case .expired:
            return [(order.orderID, .timedOut(activityID: id))]
        case .rejected(let reason) where isCommand:
            logger.warning("command not queued", metadata: ["order": "\(order.orderID)", "command": "\(id)", "reason": "\(reason)"])
            return [(order.orderID, .commandResult(CommandResult(
                commandID: id, kind: .failed, failureClass: .permanent, detail: "not queued: \(reason)", at: clock())))]
        case .rejected(let reason):
            logger.error("field activity not queued", metadata: ["order": "\(order.orderID)", "activity": "\(id)", "reason": "\(reason)"])
            return []
        case .queued, .duplicate, .alreadyFinished:
            return []
        }
    }

    /// Stores orders a decision created; returns their first evaluations. A transient failure owes
    /// them (tried again by the timer loop); intake is idempotent, so a second try makes no twins.
    func create(_ orders: [Order], by creator: String) async -> [(orderID: String, event: OrchestratorEvent)] {
        do {
            return try await store.submit(orders).compactMap { outcome in
                if case .accepted(let created) = outcome { (created.orderID, OrchestratorEvent.evaluate) } else { nil }
            }
        } catch where OwedWork.isTransient(error) {
            let dropped = owed.owe(orders, now: clock())
            logger.error("cannot store orders a decision created; will try again", metadata: [
                "order": "\(creator)", "orders": "\(orders.count)", "dropped": "\(dropped)", "error": "\(error)"])
        } catch {
            logger.error("cannot store orders a decision created", metadata: ["order": "\(creator)", "error": "\(error)"])
        }
        return []
    }

    /// Keeps steps a failed commit did not take, to try again (see `OwedWork`).
    private func owe(_ items: [(orderID: String, event: OrchestratorEvent)], after error: StoreError) {
        guard OwedWork.isTransient(error) else {
            logger.error("orchestration step failed", metadata: ["orders": "\(items.count)", "error": "\(error)"])
            return
        }
        let dropped = owed.owe(items, now: clock())
        logger.error("orchestration step failed; will try again", metadata: [
            "orders": "\(items.count)", "owed": "\(owed.count)", "dropped": "\(dropped)", "error": "\(error)"])
    }

    /// Tries owed work again once its wait is over.
    func retryOwed() async {
        let (steps, orders) = owed.takeDue(at: clock())
        guard !steps.isEmpty || !orders.isEmpty else { return }
        logger.notice("retrying steps a failed commit left undone", metadata: ["steps": "\(steps.count)", "orders": "\(orders.count)"])
        if !orders.isEmpty { await step(await create(orders, by: "retry")) }
        await step(steps)
        owed.settle()
    }

    /// A decision and the orders on the same service point that it frees to go ahead.
    struct StepOutcome: Sendable {
        var decision: Decision
        var waiting: [String]
        /// Gateways of the remote cuts the decision queues, for the guardrail once committed.
        var cuts: [String] = []
        /// The service point's device as the decision left it (read in the same transaction).
        var device: ServicePointDevice?
        /// The transaction's time.
        var at = Timestamp()
    }

    /// The id a command goes out under (see `CommandAttemptID`).
    static func commandID(_ activity: Activity) -> CommandAttemptID {
        CommandAttemptID(activityID: ActivityID(activity.activityID), attempt: activity.attempts.count)
    }

    /// The scheduler's form of a command activity.
    static func command(_ activity: Activity, order: Order, device: ServicePointDevice?) -> QueuedCommand {
        let request = order.request ?? ServiceOrderRequest()
        return QueuedCommand(
            commandID: commandID(activity), orderID: .init(order.orderID), servicePointID: request.servicePointID,
            meterID: activity.meterID.isEmpty ? (device?.meterID ?? "") : activity.meterID, gatewayID: GatewayID(activity.gatewayID.isEmpty ? (device?.gatewayID ?? "") : activity.gatewayID),
            type: activity.command, priority: activity.priority == .unspecified ? order.effectivePriority : activity.priority,
            due: activity.dueAt.map(SchedulerInstant.init), expiresAt: activity.expiresAt.map(SchedulerInstant.init),
            parameters: activity.command == .configure ? request.deviceConfiguration : [])
    }

    /// The scheduler's form of a field activity: what the crew needs on site, in the pool of the
    /// service point's region.
    static func fieldWork(_ activity: Activity, order: Order, device: ServicePointDevice?, pools: BusinessInputs) -> QueuedFieldActivity {
        let request = order.request ?? ServiceOrderRequest()
        let pool = pools.crewPool(region: device?.region ?? "")
        let item = FieldWorkItem(
            activityID: activity.activityID, type: activity.fieldActivity, orderID: order.orderID, orderType: request.orderType,
            servicePointID: request.servicePointID, meterID: activity.meterID.isEmpty ? (device?.meterID ?? "") : activity.meterID,
            priority: activity.priority == .unspecified ? order.effectivePriority : activity.priority,
            appointmentWindow: request.appointmentWindow, contact: request.contact,
            disconnectLocation: device?.disconnectLocation ?? .unspecified, notes: request.notes,
            newMeterID: activity.newMeterID,
            meterTechnology: activity.meterTechnology == .unspecified ? (device?.technology ?? .unspecified) : activity.meterTechnology,
            gatewayID: activity.gatewayID.isEmpty ? (device?.gatewayID ?? "") : activity.gatewayID,
            dueAt: activity.dueAt, expiresAt: activity.expiresAt, pool: pool, combinedWith: activity.combinedWith)
        return QueuedFieldActivity(item: item, pool: pool)
    }
}
