public import SOMCodec

/// The scheduler as a service: the command and field-work state machines behind one actor, with
/// a clock. Each method reads the clock once and makes one state-machine call, so the actor adds
/// isolation and nothing else; all behaviour lives (and is tested) in the state machines.
public actor Scheduler {
    private var commands: SchedulerStateMachine
    private var fieldWork: FieldWorkStateMachine
    private let clock: @Sendable () -> SchedulerInstant

    /// A scheduler restored from persisted state (empty by default).
    ///
    /// - Parameter clock: wall-clock time; tests pass a manual clock.
    public init(
        configuration: SchedulerConfiguration = SchedulerConfiguration(),
        fieldWorkConfiguration: FieldWorkConfiguration = FieldWorkConfiguration(),
        restoring snapshot: SchedulerSnapshot = SchedulerSnapshot(),
        restoringFieldWork activities: [QueuedFieldActivity] = [],
        clock: @escaping @Sendable () -> SchedulerInstant = { SchedulerInstant(Timestamp.now()) }
    ) {
        let now = clock()
        commands = SchedulerStateMachine(configuration: configuration, restoring: snapshot, now: now)
        fieldWork = FieldWorkStateMachine(configuration: fieldWorkConfiguration, restoring: activities, now: now)
        self.clock = clock
    }

    /// Replaces the queues with ones rebuilt from persisted state, as `init(restoring:)` builds them:
    /// for a server that starts serving before its queues are rebuilt. Whatever was queued here
    /// before is dropped, so nobody may use the scheduler until this has run.
    public func restore(_ snapshot: SchedulerSnapshot, fieldWork activities: [QueuedFieldActivity]) {
        let now = clock()
        // The live configurations: registry limits set before the rebuild are kept.
        commands = SchedulerStateMachine(configuration: commands.configuration, restoring: snapshot, now: now)
        fieldWork = FieldWorkStateMachine(configuration: fieldWork.configuration, restoring: activities, now: now)
    }

    // MARK: Commands

    /// See `SchedulerStateMachine.enqueue(_:now:)`.
    public func enqueue(_ batch: [QueuedCommand]) -> [EnqueueOutcome] {
        commands.enqueue(batch, now: clock())
    }

    /// See `SchedulerStateMachine.pull(gatewayID:maxBatch:lease:now:)`.
    public func pull(gatewayID: GatewayID, maxBatch: Int? = nil, lease: Duration? = nil) -> PullResult {
        commands.pull(gatewayID: gatewayID, maxBatch: maxBatch, lease: lease, now: clock())
    }

    /// See `SchedulerStateMachine.pullAny(maxBatch:lease:now:)`.
    public func pullAny(maxBatch: Int? = nil, lease: Duration? = nil) -> PullResult {
        commands.pullAny(maxBatch: maxBatch, lease: lease, now: clock())
    }

    /// See `SchedulerStateMachine.report(_:gatewayID:now:)`.
    public func report(_ results: [ReportedResult], gatewayID: GatewayID?) -> ReportOutcome {
        commands.report(results, gatewayID: gatewayID, now: clock())
    }

    /// See `SchedulerStateMachine.extendLease(_:by:now:)`.
    public func extendLease(_ id: LeaseID, by duration: Duration? = nil) -> SchedulerInstant? {
        commands.extendLease(id, by: duration, now: clock())
    }

    /// The crew pool of an outstanding field activity; nil when it is unknown or finished.
    public func fieldWorkPool(_ activityID: ActivityID) -> String? {
        fieldWork.queuedActivity(activityID)?.pool
    }

    /// See `SchedulerStateMachine.gateway(ofLease:)`.
    public func gateway(ofLease id: LeaseID) -> GatewayID? {
        commands.gateway(ofLease: id)
    }

    /// See `SchedulerStateMachine.setRegistryLimits(commandsPerSecond:maxInFlight:for:now:)`.
    public func setRegistryLimits(commandsPerSecond: Double?, maxInFlight: Int?, for gatewayID: GatewayID) {
        commands.setRegistryLimits(commandsPerSecond: commandsPerSecond, maxInFlight: maxInFlight, for: gatewayID, now: clock())
    }

    /// See `SchedulerStateMachine.cancel(commandID:now:)`.
    public func cancel(commandID: CommandAttemptID) -> [SchedulerEvent] {
        commands.cancel(commandID: commandID, now: clock())
    }

    /// See `SchedulerStateMachine.reprioritize(commandID:to:now:)`.
    public func reprioritize(commandID: CommandAttemptID, to priority: Priority) -> Bool {
        commands.reprioritize(commandID: commandID, to: priority, now: clock())
    }

    /// See `SchedulerStateMachine.commands(ofOrder:)`.
    public func commands(ofOrder orderID: OrderID) -> [QueuedCommand] {
        commands.commands(ofOrder: orderID)
    }

    /// Cancels an order's commands and field activities.
    public func cancel(orderID: OrderID) -> (commands: [SchedulerEvent], fieldWork: [FieldWorkEvent]) {
        let now = clock()
        return (commands.cancel(orderID: orderID, now: now), fieldWork.cancel(orderID: orderID, now: now))
    }

    /// Fires due timers of both queues; call it by `nextDeadline`.
    public func advance() -> (commands: [SchedulerEvent], fieldWork: [FieldWorkEvent]) {
        let now = clock()
        return (commands.advance(now: now), fieldWork.advance(now: now))
    }

    /// The earliest timer of either queue.
    public var nextDeadline: SchedulerInstant? {
        [commands.nextDeadline, fieldWork.nextDeadline].compactMap { $0 }.min()
    }

    /// The persistent value of a command, or nil when it left the scheduler.
    public func queuedCommand(_ commandID: CommandAttemptID) -> QueuedCommand? {
        commands.queuedCommand(commandID)
    }

    /// Per-gateway figures.
    public func statistics() -> [GatewayStatistics] {
        commands.statistics(now: clock())
    }

    /// The dead letters held in memory.
    public var deadLetters: [DeadLetter] { commands.deadLetters }

    /// The whole command state, for a consistency check or a full rewrite.
    public func snapshot() -> SchedulerSnapshot { commands.snapshot() }

    // MARK: Field work

    /// See `FieldWorkStateMachine.enqueue(_:now:)`.
    public func enqueueFieldWork(_ activity: QueuedFieldActivity) -> EnqueueOutcome {
        fieldWork.enqueue(activity, now: clock())
    }

    /// See `FieldWorkStateMachine.pull(pool:maxItems:lease:now:)`.
    public func pullFieldWork(pool: String = "", maxItems: Int? = nil, lease: Duration? = nil) -> (items: [FieldWorkItem], events: [FieldWorkEvent]) {
        fieldWork.pull(pool: pool, maxItems: maxItems, lease: lease, now: clock())
    }

    /// Applies a field report: see `FieldWorkStateMachine.update(_:now:)`, `complete(activityID:now:)`
    /// and `notDone(activityID:now:)`.
    public func reportFieldWork(_ report: FieldWorkReport) -> (applied: Bool, events: [FieldWorkEvent]) {
        let now = clock()
        return switch report {
        case .update(let update): fieldWork.update(update, now: now)
        case .complete(let activityID): fieldWork.complete(activityID: activityID, now: now)
        case .notDone(let activityID): fieldWork.notDone(activityID: activityID, now: now)
        }
    }

    /// See `FieldWorkStateMachine.acknowledgeCancel(activityID:now:)`.
    public func acknowledgeFieldWorkCancel(activityID: ActivityID) -> (applied: Bool, events: [FieldWorkEvent]) {
        fieldWork.acknowledgeCancel(activityID: activityID, now: clock())
    }

    /// See `FieldWorkStateMachine.reprioritize(activityID:to:)`.
    public func reprioritizeFieldWork(activityID: ActivityID, to priority: Priority) -> Bool {
        fieldWork.reprioritize(activityID: activityID, to: priority)
    }

    /// See `FieldWorkStateMachine.cancel(activityID:now:)`.
    public func cancelFieldWork(activityID: ActivityID) -> [FieldWorkEvent] {
        fieldWork.cancel(activityID: activityID, now: clock())
    }

    /// The persistent value of a field activity, or nil when it left the queue.
    public func queuedActivity(_ activityID: ActivityID) -> QueuedFieldActivity? {
        fieldWork.queuedActivity(activityID)
    }

    /// Field-work figures.
    public var fieldWorkStatistics: FieldWorkStatistics { fieldWork.statistics }
}
