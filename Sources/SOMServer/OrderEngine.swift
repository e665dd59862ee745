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
    let store: OrderStore
    /// The per-gateway command queues and the field-work queue.
    public let scheduler: Scheduler
    /// Rings when commands or field work are queued, so adapters' pulls need not poll.
    let newWork = Watermark()
    /// Retries, deadlines and the guardrail; its limits may change on a rules reload (`reloadRules`).
    var policy: OrchestrationPolicy { policyBox.withLockedValue { $0 } }
    private let policyBox: NIOLockedValueBox<OrchestrationPolicy>
    private let inputs: NIOLockedValueBox<BusinessInputs>
    private let disconnects: DisconnectVolumeTracker
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
    /// - Parameter clock: wall-clock time; tests pass the store's manual clock.
    public init(
        store: OrderStore, scheduler: Scheduler, policy: OrchestrationPolicy = .standard, inputs: BusinessInputs = BusinessInputs(),
        logger: Logger, clock: @escaping @Sendable () -> Timestamp = Timestamp.now
    ) {
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
        disconnects.rebuild(from: try store.events(since: since), now: now)
    }

    /// The remote cuts for non-payment the guardrail counts in its window now, per gateway.
    public func disconnectVolume() -> DisconnectVolume {
        disconnects.volume(at: clock())
    }

    /// Replaces the policy (a rules reload).
    func setPolicy(_ policy: OrchestrationPolicy) {
        policyBox.withLockedValue { $0 = policy }
    }

    /// Changes the business-rule inputs.
    public func updateInputs(_ change: (inout BusinessInputs) -> Void) {
        inputs.withLockedValue { change(&$0) }
    }

    /// Steps each order with its event (in batches sharing a commit), then carries out the decisions.
    /// Returns once every decision, and every step it chained into, is durable and carried out.
    public func step(_ items: [(orderID: String, event: OrchestratorEvent)], depth: Int = 0) async {
        guard !items.isEmpty else { return }
        var start = 0
        while start < items.count {
            let slice = Array(items[start..<min(start + Self.stepBatch, items.count)])
            start += slice.count
            await stepBatch(slice, depth: depth)
        }
    }

    /// Steps one order.
    public func step(_ orderID: String, _ event: OrchestratorEvent) async {
        await step([(orderID, event)])
    }

    private func stepBatch(_ items: [(orderID: String, event: OrchestratorEvent)], depth: Int) async {
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
                let outcome = StepOutcome(decision: decision, waiting: waiting, cuts: cuts, at: now)
                if decision.ignoredBecause != nil, decision.order == snapshot.order, decision.events.isEmpty {
                    return (ServicePointChanges(), outcome)
                }
                var tally: [String: Int] = [:]
                for gateway in cuts { tally[DisconnectVolumeTracker.tallyKey(gateway), default: 0] += 1 }
                return (ServicePointChanges(orders: [(decision.order, decision.events)], device: decision.device, tally: tally), outcome)
            }, committed: { results in
                // On the writer thread, before the next transaction: later decisions see these cuts.
                for case .success(let (_, outcome)) in results { disconnects.commit(outcome.cuts, at: outcome.at) }
            })
        } catch {
            logger.error("orchestration step failed", metadata: ["orders": "\(items.count)", "error": "\(error)"])
            return
        }
        var followUps: [(orderID: String, event: OrchestratorEvent)] = []
        for (item, result) in zip(items, results) {
            switch result {
            case .success(let (stored, outcome)):
                let order = stored.orders.first?.order ?? outcome.decision.order
                await carryOut(outcome.decision, order: order, device: stored.device, followUps: &followUps)
                followUps += outcome.waiting.map { ($0, OrchestratorEvent.recheckDue) }
            case .failure(let error):
                logger.warning("cannot step order", metadata: ["order": "\(item.orderID)", "error": "\(error)"])
            }
        }
        if !followUps.isEmpty {
            guard depth < Self.maxChain else {
                logger.error("decision chain too deep; stopping", metadata: ["orders": "\(followUps.map(\.orderID))"])
                return
            }
            await step(followUps, depth: depth + 1)
        }
    }

    /// Queues, cancels and chains what one decision asks for.
    private func carryOut(
        _ decision: Decision, order: Order, device: ServicePointDevice?,
        followUps: inout [(orderID: String, event: OrchestratorEvent)]
    ) async {
        let device = device ?? (try? store.device(servicePointID: order.request?.servicePointID ?? ""))
        var commands: [QueuedCommand] = []
        for activity in decision.activitiesToCreate + decision.activitiesToRetry {
            if activity.command != .unspecified {
                commands.append(Self.command(activity, order: order, device: device))
            } else if activity.fieldActivity != .unspecified {
                _ = await scheduler.enqueueFieldWork(Self.fieldWork(activity, order: order, device: device, pools: businessInputs))
            }
        }
        if !commands.isEmpty { _ = await scheduler.enqueue(commands) }
        if !(decision.activitiesToCreate.isEmpty && decision.activitiesToRetry.isEmpty) { newWork.bump() }
        for cancellation in decision.activitiesToCancel {
            if cancellation.isFieldWork {
                _ = await scheduler.cancelFieldWork(activityID: cancellation.activityID)
            } else {
                // The scheduler knows the command under its attempt id (`commandID(_:)`); find it there.
                for command in await scheduler.commands(ofOrder: order.orderID)
                where Self.activityID(ofCommand: command.commandID) == cancellation.activityID {
                    _ = await scheduler.cancel(commandID: command.commandID)
                }
            }
        }
        if !decision.activitiesToReprioritize.isEmpty {
            // Escalation reaches the queue: the queued command goes out at its new priority.
            let queued = await scheduler.commands(ofOrder: order.orderID)
            for activity in decision.activitiesToReprioritize {
                if activity.fieldActivity != .unspecified {
                    _ = await scheduler.reprioritizeFieldWork(activityID: activity.activityID, to: activity.priority)
                }
                for command in queued where Self.activityID(ofCommand: command.commandID) == activity.activityID {
                    _ = await scheduler.reprioritize(commandID: command.commandID, to: activity.priority)
                }
            }
        }
        for change in decision.otherOrders { followUps.append((change.orderID, change.event)) }
        if !decision.ordersToCreate.isEmpty {
            do {
                let outcomes = try await store.submit(decision.ordersToCreate)
                for outcome in outcomes {
                    if case .accepted(let created) = outcome { followUps.append((created.orderID, .evaluate)) }
                }
            } catch {
                logger.error("cannot store orders a decision created", metadata: ["order": "\(order.orderID)", "error": "\(error)"])
            }
        }
    }

    /// A decision and the orders on the same service point that it frees to go ahead.
    struct StepOutcome: Sendable {
        var decision: Decision
        var waiting: [String]
        /// Gateways of the remote cuts the decision queues, for the guardrail once committed.
        var cuts: [String] = []
        /// The transaction's time.
        var at = Timestamp()
    }

    /// The id a command goes out under: the activity id, plus `#n` from the second attempt on.
    /// The scheduler remembers finished command ids (results are idempotent by id), so a retry of
    /// the same activity needs an id of its own; results map back through `activityID(ofCommand:)`.
    static func commandID(_ activity: Activity) -> String {
        activity.attempts.count <= 1 ? activity.activityID : "\(activity.activityID)#\(activity.attempts.count)"
    }

    /// The activity a command id belongs to.
    static func activityID(ofCommand commandID: String) -> String {
        guard let hash = commandID.lastIndex(of: "#") else { return commandID }
        return String(commandID[..<hash])
    }

    /// The scheduler's form of a command activity.
    static func command(_ activity: Activity, order: Order, device: ServicePointDevice?) -> QueuedCommand {
        let request = order.request ?? ServiceOrderRequest()
        return QueuedCommand(
            commandID: commandID(activity), orderID: order.orderID, servicePointID: request.servicePointID,
            meterID: activity.meterID.isEmpty ? (device?.meterID ?? "") : activity.meterID, gatewayID: activity.gatewayID.isEmpty ? (device?.gatewayID ?? "") : activity.gatewayID,
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
