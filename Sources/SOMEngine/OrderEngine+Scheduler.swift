import Logging
public import SOMCodec
public import SOMOrchestration
public import SOMScheduler
public import SOMStore

extension OrderEngine {
    /// Turns what the command scheduler did into order steps, and runs them; the answer is `step`'s.
    /// Events of a report come through `report(_:gatewayID:)`, which has the results they answer.
    @discardableResult
    public func handle(_ events: [SchedulerEvent]) async -> StoreError? {
        await handle(events, results: [])
    }

    /// `handle(_:)` for the events of a report of `results`: a result's events name it by its
    /// position there (`ReportedResult.tag`), and the order takes in all the result says.
    func handle(_ events: [SchedulerEvent], results: [CommandResult]) async -> StoreError? {
        commandLatency.observe(events)
        var steps: [(orderID: String, event: OrchestratorEvent)] = []
        for event in events {
            switch event {
            case .dispatched(let batch):
                for command in batch.commands where !command.orderID.isEmpty {
                    steps.append((command.orderID, .activityProgress(activityID: command.commandID, status: .dispatched)))
                }
            case .accepted(let reference):
                steps.append((reference.orderID.rawValue, .activityProgress(activityID: reference.commandID.rawValue, status: .accepted)))
            case .completed(let reference, let reported):
                guard let result = results.reported(reported) else { continue }
                steps.append((reference.orderID.rawValue, .commandResult(result)))
            case .deadLettered(let letter):
                // The orchestrator decides what comes next from the failure class, as for any result:
                // lost every time → outcome unknown (verify first); failing every time → permanent.
                var result = CommandResult(commandID: letter.command.commandID.rawValue, at: letter.at.timestamp)
                switch letter.reason {
                case .leaseExpiredOnEveryAttempt(let attempts):
                    result.kind = .outcomeUnknown
                    result.failureClass = .unknown
                    result.detail = "no result from the gateway after \(attempts) deliveries"
                case .leaseExpiredOutcomeUnknown(let attempts):
                    // A connect/disconnect may have happened: verified by a status check, never resent blind.
                    result.kind = .outcomeUnknown
                    result.failureClass = .unknown
                    result.detail = "no result from the gateway by the end of delivery \(attempts)'s lease: outcome unknown"
                case .transientFailureOnEveryAttempt(let attempts, let detail):
                    result.kind = .failed
                    result.failureClass = .permanent
                    result.detail = "gave up after \(attempts) transient failures (last: \(detail))"
                }
                steps.append((letter.command.orderID.rawValue, .commandResult(result)))
            case .expired(let command):
                steps.append((command.orderID.rawValue, .timedOut(activityID: command.commandID.rawValue)))
            case .ignoredResult(let ignored):
                // A final result the queue no longer wants (its command was cancelled, gave up or is
                // forgotten after a restart) is still a fact about the meter: the order takes it in,
                // and compensates a cut that happened after all.
                if let orderID = Self.lateResultOrder(ignored), let result = results.reported(ignored.result) {
                    steps.append((orderID, .commandResult(result)))
                } else {
                    logger.debug("result ignored", metadata: ["command": "\(ignored.result.commandID)", "reason": "\(ignored.reason)"])
                }
            case .retryScheduled, .leaseExpired, .redeliveryQueued, .cancelled:
                // The scheduler handles these itself; the order learns the final outcome later.
                break
            }
        }
        return await step(steps)
    }

    /// Turns what the field-work queue did into order steps, and runs them; the answer is `step`'s.
    /// Events of a crew's report come through `report(_:)`, which has what the crew reported.
    @discardableResult
    public func handle(_ events: [FieldWorkEvent]) async -> StoreError? {
        await handle(events, report: nil)
    }

    /// `handle(_:)` for the events of `report`: a completion or not-done takes in what the crew said.
    func handle(_ events: [FieldWorkEvent], report: FieldReport?) async -> StoreError? {
        var steps: [(orderID: String, event: OrchestratorEvent)] = []
        for event in events {
            switch event {
            case .dispatched(let item):
                steps.append((item.orderID, .activityProgress(activityID: item.activityID, status: .dispatched)))
            case .updated(let reference, let update):
                steps.append((reference.orderID.rawValue, .activityProgress(activityID: reference.activityID.rawValue, status: update.status)))
            case .completed(let reference):
                guard case .complete(let completion) = report else { continue }
                steps.append((reference.orderID.rawValue, .fieldCompleted(completion)))
            case .notDone(let reference):
                guard case .notDone(let notDone) = report else { continue }
                steps.append((reference.orderID.rawValue, .fieldNotDone(notDone)))
            case .deadLettered(let activity):
                steps.append((activity.item.orderID, .timedOut(activityID: activity.item.activityID)))
            case .ignoredReport(.complete, .cancelled(let orderID)):
                // The crew did the work before it saw the cancellation: the site changed, so the
                // order takes the completion in (and compensates a cut nobody wants any more).
                guard case .complete(let completion) = report else { continue }
                steps.append((orderID.rawValue, .fieldCompleted(completion)))
            case .ignoredReport(.complete(let activityID), .alreadyFinished(.cancelled)),
                 .ignoredReport(.complete(let activityID), .alreadyFinished(.notDone)),
                 .ignoredReport(.complete(let activityID), .alreadyFinished(.deadLettered)),
                 .ignoredReport(.complete(let activityID), .unknownActivity):
                // Work done after all: a redelivered item another crew could not do, one given up
                // on, or one this server forgot across a restart.
                guard case .complete(let completion) = report, let orderID = activityID.orderID else { continue }
                steps.append((orderID.rawValue, .fieldCompleted(completion)))
            case .redeliveryQueued, .cancelled, .ignoredReport:
                break
            }
        }
        return await step(steps)
    }

    /// A scheduler event about command `commandID` (an attempt of an activity, see `commandID(_:)`)
    /// as the orchestrator takes it: about the activity. Nil when it answers an attempt the order
    /// has moved past (verified, failed and queued again): a stale progress, expiry or failure
    /// would be taken for the current attempt's. A late success is still a fact and goes through.
    static func forCurrentAttempt(_ event: OrchestratorEvent, of order: Order) -> OrchestratorEvent? {
        func current(_ commandID: String) -> (activityID: String, stale: Bool) {
            let id = CommandAttemptID(commandID)
            let activityID = id.activityID.rawValue, attempt = id.attempt
            guard let activity = order.activities.first(where: { $0.activityID == activityID }), activity.command != .unspecified else {
                return (activityID, false)
            }
            return (activityID, attempt < activity.attempts.count)
        }
        switch event {
        case .commandResult(var result):
            let (activityID, stale) = current(result.commandID)
            if stale, result.kind != .succeeded { return nil }
            result.commandID = activityID
            return .commandResult(result)
        case .activityProgress(let id, let status):
            let (activityID, stale) = current(id)
            return stale ? nil : .activityProgress(activityID: activityID, status: status)
        case .timedOut(let id):
            let (activityID, stale) = current(id)
            return stale ? nil : .timedOut(activityID: activityID)
        default:
            return event
        }
    }

    /// The order a late final result belongs to, when it should reach it: the command was cancelled
    /// while out, was given up (dead-lettered) or expired, or is unknown here (forgotten across a
    /// restart). Duplicates of results already taken in, and results for another gateway, are not.
    static func lateResultOrder(_ ignored: IgnoredResult) -> String? {
        switch ignored.result.kind {
        case .succeeded, .failed, .outcomeUnknown: break
        default: return nil
        }
        switch ignored.reason {
        case .cancelled, .alreadyFinished(.cancelled), .alreadyFinished(.deadLettered), .alreadyFinished(.expired), .unknownCommand:
            return (ignored.orderID ?? ignored.result.commandID.activityID.orderID)?.rawValue
        default:
            return nil
        }
    }

    /// Pages of due orders one timer tick takes on.
    static let duePagesPerTick = 16

    /// Runs timers once: scheduler lease expiries and retries, then orders whose check time has come.
    public func tick() async {
        guard await restoration.wait() else { return }
        let (commandEvents, fieldEvents) = await scheduler.advance()
        await handle(commandEvents)
        await handle(fieldEvents)
        await retryOwed()
        let now = clock()
        // Each recheck sets a later check time or clears it, so the next page is new work. A
        // bounded number of pages per tick keeps a decision that leaves its time unchanged from
        // spinning here; whatever is left is the next tick's.
        for _ in 0..<Self.duePagesPerTick {
            let due: [String]
            do {
                due = try store.dueOrders(until: now, limit: Self.stepBatch)
            } catch {
                logger.warning("cannot read the orders due for a check", metadata: ["error": "\(error)"])
                return
            }
            guard !due.isEmpty else { return }
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

    /// What a restart rebuilt from the store, and the steps to take before anything else.
    public struct Restored: Sendable {
        public var scheduler: Scheduler
        /// Steps owed from before the restart: a switching command that was out with a gateway
        /// has an unknown outcome (verified, never simply sent again); an order waiting for
        /// another order on its service point is looked at again (its wake-up may have been lost).
        public var steps: [(orderID: String, event: OrchestratorEvent)]
    }

    /// The queues' contents and the owed steps, read from the open orders in the store.
    public struct RestoredWork: Sendable {
        /// Commands to queue again (at-least-once).
        public var commands: [QueuedCommand]
        /// Field work to queue again.
        public var fieldActivities: [QueuedFieldActivity]
        /// See `Restored.steps`.
        public var steps: [(orderID: String, event: OrchestratorEvent)]
        /// Open orders read.
        public var openOrders: Int
    }

    /// Rebuilds the queues after a restart from the activities stored on open orders (see
    /// `restoredWork`), as a ready scheduler.
    public static func restoredScheduler(
        store: OrderStore, configuration: SchedulerConfiguration, fieldWork: FieldWorkConfiguration,
        crewPools: BusinessInputs = BusinessInputs(), clock: @escaping @Sendable () -> Timestamp = Timestamp.now
    ) throws(StoreError) -> Restored {
        let work = try restoredWork(store: store, configuration: configuration, crewPools: crewPools, now: clock())
        let scheduler = Scheduler(
            configuration: configuration, fieldWorkConfiguration: fieldWork,
            restoring: SchedulerSnapshot(commands: work.commands), restoringFieldWork: work.fieldActivities,
            clock: { SchedulerInstant(clock()) })
        return Restored(scheduler: scheduler, steps: work.steps)
    }

    /// Reads what the queues held from the activities stored on open orders. A command still
    /// queued, a read or a ping that was out with a gateway, and field work are queued again
    /// (at-least-once); a connect or disconnect that was out with a gateway is not: it may have
    /// happened, so its order is told the outcome is unknown and verifies first. Blocking reads:
    /// run it off the event loops.
    public static func restoredWork(
        store: OrderStore, configuration: SchedulerConfiguration, crewPools: BusinessInputs, now: Timestamp
    ) throws(StoreError) -> RestoredWork {
        var work = RestoredWork(commands: [], fieldActivities: [], steps: [], openOrders: 0)
        var waiting: [String] = []
        let open: Set<ActivityStatus> = [.queued, .dispatched, .accepted, .appointed, .assigned, .onSite]
        for status in [OrderStatus.inProgress, .scheduled, .held] {
            var after: String?
            while true {
                // A page at a time, each its own short read transaction with the devices in it.
                let page = try store.openOrdersWithDevices(status: status, after: after, limit: 1000)
                guard let last = page.last else { break }
                after = last.order.orderID
                work.openOrders += page.count
                for (order, device) in page {
                    if order.status == .scheduled, order.subStatus == .awaitingOtherOrder { waiting.append(order.orderID) }
                    for activity in order.activities where open.contains(activity.status) {
                        if activity.command != .unspecified {
                            if configuration.verifyBeforeRedelivery.contains(activity.command), activity.status != .queued {
                                work.steps.append((order.orderID, .commandResult(CommandResult(
                                    commandID: Self.commandID(activity).rawValue, kind: .outcomeUnknown, failureClass: .unknown,
                                    detail: "the server restarted while the command was out with the gateway", at: now))))
                                continue
                            }
                            var command = Self.command(activity, order: order, device: device)
                            command.attempts = UInt32(activity.attempts.count)
                            work.commands.append(command)
                        } else if activity.fieldActivity != .unspecified {
                            work.fieldActivities.append(Self.fieldWork(activity, order: order, device: device, pools: crewPools))
                        }
                    }
                }
            }
        }
        work.steps += waiting.map { ($0, OrchestratorEvent.recheckDue) }
        return work
    }
}
