import SOMEngine
import Foundation
import Logging
import SOMCodec
import SOMOrchestration
import SOMScheduler
import SOMServer
import SOMStore
import SOMTestSupport

/// The engine against a real store in a temp directory, a manual clock, and a scripted head-end
/// and crew that keep the physical truth (what each meter's switch really did). No sockets: the
/// adapter calls the scheduler and the engine exactly as the RPC handlers do. Tracks what the
/// safety invariants of issue 10 need and reports every violation with the step that caused it.
final class SafetyWorld {
    static let start = Timestamp(seconds: 1_772_445_600) // Monday 2026-03-02 10:00 UTC
    static let window: Duration = .seconds(3600)

    let directory: TemporaryDirectory
    let clock = LockedBox(SafetyWorld.start)
    let policy: OrchestrationPolicy
    let inputs: BusinessInputs
    let devices: [ServicePointDevice]
    var store: OrderStore
    var engine: OrderEngine
    var restarts = 0
    var ordersSubmitted = 0

    /// The real supply of each service point.
    var supply: [String: SupplyState] = [:]
    /// Commands handed to the head-end and not answered yet (it may answer late, or never).
    var inHand: [Command] = []
    /// Field items handed to crews and not reported yet.
    var crewHand: [FieldWorkItem] = []
    /// Switching activities sent and not known not to have happened, by activity id.
    var unresolved: Set<String> = []
    /// Queue times (attempt start) of the cuts for non-payment that went out, with their gateway.
    var cutsSent: [(queuedAt: Timestamp, gateway: String)] = []
    /// Activity ids of the cuts counted in `cutsSent`.
    var cutCommands: Set<String> = []
    /// Cuts that really happened, by order id.
    var cutOrders: Set<String> = []
    /// Final results the head-end had acknowledged: order, activity, attempt number.
    var acknowledged: [(orderID: String, activityID: String, attempt: Int)] = []
    /// Answers already given, to send again as duplicates.
    var answered: [(gateway: String, result: CommandResult)] = []
    var violations: [String] = []
    var log: [String] = []

    init(policy: OrchestrationPolicy, inputs: BusinessInputs, devices: [ServicePointDevice]) async throws {
        directory = try TemporaryDirectory(prefix: "som-safety-world")
        self.policy = policy
        self.inputs = inputs
        self.devices = devices
        for device in devices { supply[device.servicePointID] = device.supplyState }
        (store, engine, _) = try Self.open(directory, policy: policy, inputs: inputs, clock: clock)
        _ = try await store.upsertDevices(devices)
    }

    /// Opens the store and rebuilds the engine as a server start does; returns the steps owed.
    static func open(
        _ directory: TemporaryDirectory, policy: OrchestrationPolicy, inputs: BusinessInputs, clock: LockedBox<Timestamp>
    ) throws -> (OrderStore, OrderEngine, [(orderID: String, event: OrchestratorEvent)]) {
        var logger = Logger(label: "safety-world")
        logger.logLevel = .critical
        var options = OrderStore.Options()
        options.durable = false
        let store = try OrderStore(directory: directory.appending("data"), options: options, logger: logger, clock: { clock.value })
        var configuration = SchedulerConfiguration(defaultGatewayLimits: GatewayLimits(batchSize: 100, linger: .zero))
        configuration.retryBackoff = .seconds(1)
        let restored = try OrderEngine.restoredScheduler(store: store, configuration: configuration, fieldWork: FieldWorkConfiguration(), clock: { clock.value })
        let engine = OrderEngine(store: store, scheduler: restored.scheduler, policy: policy, inputs: inputs, logger: logger, clock: { clock.value })
        try engine.restoreGuardrailWindow()
        let unevaluated = try store.openOrderIDs(status: .received)
        return (store, engine, restored.steps + unevaluated.map { ($0, OrchestratorEvent.evaluate) })
    }

    func remove() {
        store.close()
        directory.remove()
    }

    var now: Timestamp { clock.value }

    func note(_ line: String) { log.append("[\(now.seconds - Self.start.seconds)s] " + line) }

    func violation(_ what: String) { violations.append("[\(now.seconds - Self.start.seconds)s] " + what) }

    // MARK: Sources and operators

    func submit(_ key: String, _ type: OrderType, _ servicePoint: String) async throws {
        let outcomes = try await store.submit([OrderIntake.newOrder(
            ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: key, orderType: type, servicePointID: servicePoint), now: now)])
        guard case .accepted(let order) = outcomes.first else { return }
        note("submit \(key) \(type) on \(servicePoint) → \(order.orderID)")
        ordersSubmitted += 1
        await engine.step(order.orderID, .evaluate)
    }

    /// Cancels an open order as `Cancel` (or a cancelling request, `bySource`) does.
    func cancel(_ orderID: String, bySource: Bool) async throws {
        guard !(try store.order(orderID).status.isTerminal) else { return }
        note("cancel \(orderID) by \(bySource ? "source" : "operator")")
        await engine.step(orderID, .cancelRequested(by: bySource ? .source : .operator, detail: "property test"))
    }

    func openOrders() throws -> [Order] {
        try store.list(OrderQuery(pageSize: 1000)).orders.filter { !$0.status.isTerminal }
    }

    func allOrders() throws -> [Order] {
        var orders: [Order] = []
        var token: String?
        repeat {
            let page = try store.list(OrderQuery(pageSize: 1000, pageToken: token))
            orders += page.orders
            token = page.nextPageToken.isEmpty ? nil : page.nextPageToken
        } while token != nil
        return orders
    }

    // MARK: The head-end

    /// Pulls a batch for `gateway` and checks every command against the invariants as it goes out.
    func pull(_ gateway: String, lease: Duration) async throws {
        let result = await engine.scheduler.pull(gatewayID: GatewayID(gateway), lease: lease)
        await engine.handle(result.events)
        guard let batch = result.batch else { return }
        for command in batch.commands {
            note("sent \(command.commandID) \(command.type) for \(command.orderID)")
            try checkDispatch(command, gateway: gateway)
            inHand.append(command)
        }
    }

    func checkDispatch(_ command: Command, gateway: String) throws {
        let activityID = Self.activityID(command.commandID)
        let switching: Set<CommandType> = [.remoteConnect, .remoteDisconnect, .arm]
        if switching.contains(command.type) {
            if unresolved.contains(activityID) {
                violation("\(command.commandID) \(command.type) sent again while the last send of \(activityID) may have happened")
            }
            unresolved.insert(activityID)
        }
        guard command.type == .remoteDisconnect else { return }
        let order = try store.order(command.orderID)
        guard order.request?.orderType == .cutForNonPayment else { return }
        let device = devices.first { $0.servicePointID == command.servicePointID }
        if let until = device?.criticalCareUntil, until > now { violation("cut \(command.commandID) sent for critical-care \(command.servicePointID)") }
        if CutGates.closedGate(device: device, rules: inputs.forRegion(device?.region ?? ""), now: now) != nil {
            violation("cut \(command.commandID) sent while a gate is closed for \(command.servicePointID)")
        }
        let activity = order.activities.first { $0.activityID == activityID }
        let queuedAt = activity?.createdAt ?? now
        // The guardrail counts customers cut: a cut's retries and redeliveries are not new cuts.
        guard cutCommands.insert(activityID).inserted else { return }
        cutsSent.append((queuedAt, gateway))
        // Beyond the guardrail: more cuts queued within one window than the limits allow.
        let inWindow = cutsSent.filter { $0.queuedAt <= queuedAt && $0.queuedAt > queuedAt.adding(.zero - policy.guardrail.window) }
        if inWindow.filter({ $0.gateway == gateway }).count > policy.guardrail.perGateway || inWindow.count > policy.guardrail.total {
            violation("cut \(command.commandID) beyond the guardrail: \(inWindow.count) in the window")
        }
    }

    enum Answer: CaseIterable { case execute, executeUnknown, fail, failTransient, unknownNotExecuted, silent }

    /// Answers one command in hand as the head-end would; switching commands really act on `execute`.
    func answer(_ index: Int, _ answer: Answer) async throws {
        let command = inHand.remove(at: index)
        let gateway = command.gatewayID
        var result = CommandResult(commandID: command.commandID, at: now)
        let target: SupplyState? = command.type == .remoteDisconnect ? .disconnected : (command.type == .remoteConnect ? .connected : nil)
        switch command.type {
        case .statusCheck:
            result.kind = .succeeded
            result.observedSupplyState = supply[command.servicePointID] ?? .unknown
            // A check says whether this order's unresolved switch happened.
            let order = try store.order(command.orderID)
            for activity in order.activities where unresolved.contains(activity.activityID) {
                let aim: SupplyState = activity.command == .remoteDisconnect ? .disconnected : .connected
                if result.observedSupplyState != aim { unresolved.remove(activity.activityID) }
            }
        case .remoteConnect, .remoteDisconnect, .arm:
            let target = target ?? .connected
            switch answer {
            case .execute, .executeUnknown:
                supply[command.servicePointID] = target
                if command.type == .remoteDisconnect, (try store.order(command.orderID)).request?.orderType == .cutForNonPayment {
                    cutOrders.insert(command.orderID)
                }
                result.kind = answer == .execute ? .succeeded : .outcomeUnknown
                result.observedSupplyState = answer == .execute ? target : .unspecified
            case .fail:
                result.kind = .failed
                result.failureClass = .permanent
                unresolved.remove(Self.activityID(command.commandID))
            case .failTransient:
                result.kind = .failed
                result.failureClass = .transient
                unresolved.remove(Self.activityID(command.commandID))
            case .unknownNotExecuted:
                result.kind = .outcomeUnknown
            case .silent:
                note("silence on \(command.commandID)")
                return
            }
        default:
            guard answer != .silent else { return }
            result.kind = .succeeded
            result.reading = Reading(valueMilli: 1000, unit: "kWh", readAt: now)
        }
        try await report(gateway, result)
    }

    func report(_ gateway: String, _ result: CommandResult) async throws {
        let (applied, _) = await engine.report([result], gatewayID: GatewayID(gateway))
        note("answered \(result.commandID) \(result.kind) \(result.observedSupplyState) applied=\(applied)")
        answered.append((gateway, result))
        let final = result.kind != .accepted && !(result.kind == .failed && result.failureClass == .transient)
        if applied.first == true, final, let orderID = Self.orderID(result.commandID) {
            acknowledged.append((orderID, Self.activityID(result.commandID), Self.attempt(result.commandID)))
        }
    }

    // MARK: Crews

    func pullField() async throws {
        let (items, events) = await engine.scheduler.pullFieldWork(lease: .seconds(6 * 3600))
        await engine.handle(events)
        for item in items { note("crew got \(item.activityID) \(item.type)\(item.cancelRequested ? " (cancel notice)" : "")") }
        crewHand += items
    }

    /// A crew reports one item: the work done (really switching the supply) or not done.
    func crewReport(_ index: Int, done: Bool) async throws {
        let item = crewHand.remove(at: index)
        if done {
            var after = SupplyState.unspecified
            switch item.type {
            case .turnOff:
                after = .disconnected
                if item.orderType == .cutForNonPayment { cutOrders.insert(item.orderID) }
            case .turnOn, .reconnect, .connectAtSource: after = .connected
            default: break
            }
            if after != .unspecified { supply[item.servicePointID] = after }
            _ = await engine.report(.complete(CompleteFieldWorkRequest(
                activityID: item.activityID, readings: [Reading(valueMilli: 2000, unit: "kWh", readAt: now)],
                disconnectLocation: after == .disconnected ? .meterSeal : .unspecified, supplyStateAfter: after, at: now)))
            note("crew completed \(item.activityID) \(item.type)")
        } else {
            _ = await engine.report(.notDone(NotDoneFieldWorkRequest(activityID: item.activityID, reason: .noAccess)))
            note("crew not done \(item.activityID)")
        }
    }

    // MARK: Time and restarts

    func advance(by duration: Duration) async {
        clock.value = now.adding(duration)
        await engine.tick()
    }

    /// A crash and restart: everything in memory is gone; the store is what survives.
    func restart() async throws {
        note("restart")
        restarts += 1
        store.close()
        let steps: [(orderID: String, event: OrchestratorEvent)]
        (store, engine, steps) = try Self.open(directory, policy: policy, inputs: inputs, clock: clock)
        await engine.step(steps)
        try checkAcknowledged()
    }

    // MARK: Invariants checked on the store

    /// Every acknowledged final result is on its order.
    func checkAcknowledged() throws {
        for (orderID, activityID, attempt) in acknowledged {
            let order = try store.order(orderID)
            guard let activity = order.activities.first(where: { $0.activityID == activityID }) else {
                violation("acknowledged result for \(activityID) lost: no such activity on \(orderID)")
                continue
            }
            let open: Set<ActivityStatus> = [.unspecified, .queued, .dispatched, .accepted]
            if activity.attempts.count < attempt || open.contains(activity.attempts[attempt - 1].result) {
                violation("acknowledged result for \(activityID) attempt \(attempt) lost: \(activity.attempts.map(\.result))")
            }
        }
    }

    /// Every cancelled or superseded cut that really happened has a compensation.
    func checkCompensations() throws {
        let orders = try allOrders()
        for orderID in cutOrders {
            guard let cut = orders.first(where: { $0.orderID == orderID }), cut.status == .cancelled || cut.status == .superseded else { continue }
            let compensated = orders.contains { $0.request?.orderType == .reconnectForPayment && $0.relatedOrderID == orderID }
            if !compensated {
                let activities = cut.activities.map { "\($0.activityID) \($0.command) \($0.fieldActivity) \($0.status) \($0.attempts.map(\.result))" }
                let sp = cut.request?.servicePointID ?? ""
                let others = orders.filter { $0.request?.servicePointID == sp }.map { "\($0.orderID) \($0.request!.orderType) \($0.request!.sourceRequestID) \($0.status) rel=\($0.relatedOrderID)" }
                violation("cut \(orderID) happened and its order is \(cut.status), but nothing compensates it: \(activities); on the SP: \(others)")
            }
        }
    }

    /// The log lines about the order a violation names.
    func history(of violation: String?) -> [String] {
        guard let violation, let range = violation.range(of: "SO[0-9]+", options: .regularExpression) else { return [] }
        let orderID = String(violation[range])
        return log.filter { $0.contains(orderID) }
    }

    // MARK: Ids

    static func activityID(_ commandID: String) -> String {
        CommandAttemptID(commandID).activityID.rawValue
    }

    static func attempt(_ commandID: String) -> Int {
        CommandAttemptID(commandID).attempt
    }

    static func orderID(_ commandID: String) -> String? {
        CommandAttemptID(commandID).activityID.orderID?.rawValue
    }
}
