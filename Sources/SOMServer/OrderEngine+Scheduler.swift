import Logging
import SOMCodec
public import SOMOrchestration
public import SOMScheduler
public import SOMStore

extension OrderEngine {
    /// Turns what the command scheduler did into order steps, and runs them.
    public func handle(_ events: [SchedulerEvent]) async {
        var steps: [(orderID: String, event: OrchestratorEvent)] = []
        for event in events {
            switch event {
            case .dispatched(let batch):
                for command in batch.commands where !command.orderID.isEmpty {
                    steps.append((command.orderID, .activityProgress(activityID: Self.activityID(ofCommand: command.commandID), status: .dispatched)))
                }
            case .accepted(let reference):
                steps.append((reference.orderID, .activityProgress(activityID: Self.activityID(ofCommand: reference.commandID), status: .accepted)))
            case .completed(let reference, var result):
                result.commandID = Self.activityID(ofCommand: result.commandID)
                steps.append((reference.orderID, .commandResult(result)))
            case .deadLettered(let letter):
                // The orchestrator decides what comes next from the failure class, as for any result:
                // lost every time → outcome unknown (verify first); failing every time → permanent.
                var result = CommandResult(commandID: Self.activityID(ofCommand: letter.command.commandID), at: letter.at.timestamp)
                switch letter.reason {
                case .leaseExpiredOnEveryAttempt(let attempts):
                    result.kind = .outcomeUnknown
                    result.failureClass = .unknown
                    result.detail = "no result from the gateway after \(attempts) deliveries"
                case .transientFailureOnEveryAttempt(let attempts, let detail):
                    result.kind = .failed
                    result.failureClass = .permanent
                    result.detail = "gave up after \(attempts) transient failures (last: \(detail))"
                }
                steps.append((letter.command.orderID, .commandResult(result)))
            case .expired(let command):
                steps.append((command.orderID, .timedOut(activityID: Self.activityID(ofCommand: command.commandID))))
            case .ignoredResult(let ignored):
                logger.debug("result ignored", metadata: ["command": "\(ignored.result.commandID)", "reason": "\(ignored.reason)"])
            case .retryScheduled, .leaseExpired, .redeliveryQueued, .cancelled:
                // The scheduler handles these itself; the order learns the final outcome later.
                break
            }
        }
        await step(steps)
    }

    /// Turns what the field-work queue did into order steps, and runs them.
    public func handle(_ events: [FieldWorkEvent]) async {
        var steps: [(orderID: String, event: OrchestratorEvent)] = []
        for event in events {
            switch event {
            case .dispatched(let item):
                steps.append((item.orderID, .activityProgress(activityID: item.activityID, status: .dispatched)))
            case .updated(let reference, let update):
                steps.append((reference.orderID, .activityProgress(activityID: reference.activityID, status: update.status)))
            case .completed(let reference, let completion):
                steps.append((reference.orderID, .fieldCompleted(completion)))
            case .notDone(let reference, let notDone):
                steps.append((reference.orderID, .fieldNotDone(notDone)))
            case .deadLettered(let activity):
                steps.append((activity.item.orderID, .timedOut(activityID: activity.activityID)))
            case .redeliveryQueued, .cancelled, .ignoredReport:
                break
            }
        }
        await step(steps)
    }

    /// Pages of due orders one timer tick takes on.
    static let duePagesPerTick = 16

    /// Runs timers once: scheduler lease expiries and retries, then orders whose check time has come.
    public func tick() async {
        let (commandEvents, fieldEvents) = await scheduler.advance()
        await handle(commandEvents)
        await handle(fieldEvents)
        let now = Timestamp.now()
        // Each recheck sets a later check time or clears it, so the next page is new work. A
        // bounded number of pages per tick keeps a decision that leaves its time unchanged from
        // spinning here; whatever is left is the next tick's.
        for _ in 0..<Self.duePagesPerTick {
            guard let due = try? store.dueOrders(until: now, limit: Self.stepBatch), !due.isEmpty else { return }
            await step(due.map { ($0, OrchestratorEvent.recheckDue) })
            if due.count < Self.stepBatch { return }
        }
    }

    /// Runs `tick` until cancelled, sleeping until the next timer (at most `interval`).
    public func runTimers(interval: Duration = .milliseconds(250)) async {
        while !Task.isCancelled {
            await tick()
            try? await Task.sleep(for: interval)
        }
    }

    /// Rebuilds the queues after a restart from the activities stored on open orders (a command
    /// that was out with a gateway is delivered again: at-least-once), and evaluates orders that
    /// were received but never evaluated.
    public static func restoredScheduler(
        store: OrderStore, configuration: SchedulerConfiguration, fieldWork: FieldWorkConfiguration, crewPools: BusinessInputs = BusinessInputs()
    ) throws -> (Scheduler, unevaluated: [String]) {
        var commands: [QueuedCommand] = []
        var fieldActivities: [QueuedFieldActivity] = []
        let open: Set<ActivityStatus> = [.queued, .dispatched, .accepted, .appointed, .assigned, .onSite]
        for status in [OrderStatus.inProgress, .scheduled, .held] {
            try store.forEachOpenOrder(status: status) { page in
                for order in page {
                    let device = try? store.device(servicePointID: order.request?.servicePointID ?? "")
                    for activity in order.activities where open.contains(activity.status) {
                        if activity.command != .unspecified {
                            var command = Self.command(activity, order: order, device: device)
                            command.attempts = UInt32(activity.attempts.count)
                            commands.append(command)
                        } else if activity.fieldActivity != .unspecified {
                            fieldActivities.append(Self.fieldWork(activity, order: order, device: device, pools: crewPools))
                        }
                    }
                }
            }
        }
        let unevaluated = try store.openOrderIDs(status: .received)
        let scheduler = Scheduler(
            configuration: configuration, fieldWorkConfiguration: fieldWork,
            restoring: SchedulerSnapshot(commands: commands), restoringFieldWork: fieldActivities)
        return (scheduler, unevaluated)
    }
}
