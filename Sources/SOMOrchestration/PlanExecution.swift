import SOMCodec

/// What performing one plan step did.
enum StepProgress {
    /// Already true: go on with the next step.
    case satisfied
    /// An activity was created, or the order waits or holds: stop here.
    case waiting
    /// The step changed the situation: evaluate the table again from the top.
    case again
    /// The order reached a terminal state.
    case finished
}

extension OrderWork {
    /// Holds only an operator releases; re-checks only re-surface them.
    static let operatorHolds: Set<HoldReason> = [.safety, .massDisconnectGuardrail, .operator]

    /// The re-evaluation loop: wait for the outstanding activity, or find the first matching row
    /// and run its plan until a step must wait; complete the order when every step holds.
    mutating func advance() {
        for _ in 0..<12 {
            guard !isTerminal else { return }
            if order.status == .held, Self.operatorHolds.contains(order.holdReason) {
                if order.nextCheckAt.map({ $0 <= now }) ?? true { order.nextCheckAt = now.adding(policy.operatorHoldReview) }
                return
            }
            recallGatedCut()
            if let i = outstandingIndex {
                awaitActivity(i)
                return
            }
            if order.activities.count >= policy.maxActivitiesPerOrder {
                finish(.failed, .failed, "gave up after \(order.activities.count) activities; \(Describe.tried(order))")
                return
            }
            if order.activities.isEmpty, let requested = request.requestedAt, requested > now {
                setState(.scheduled, detail: "due at \(requested.iso8601)", nextCheck: requested)
                return
            }
            guard let table = DecisionTables.table(for: effectiveType) else {
                finish(.failed, .failed, "no decision table for order type \(Describe.type(effectiveType))")
                return
            }
            if case .again = run(table) { continue }
            if !isTerminal, let i = outstandingIndex { awaitActivity(i) }
            return
        }
        finish(.failed, .failed, "no progress after re-evaluating 12 times; \(Describe.tried(order))")
    }

    /// Runs the first matching row of `table`.
    mutating func run(_ table: DecisionTable) -> StepProgress {
        guard let row = table.rows.first(where: { holds(all: $0.when) }) else {
            finish(.failed, .failed, "no row of the \(table.title) table matches \(Describe.device(device)); a person must plan this order")
            return .finished
        }
        decision.rowsApplied.append("\(Describe.type(table.type)): \(row.label)")
        for step in row.plan {
            let progress = perform(step, table: table, row: row)
            if case .satisfied = progress { continue }
            return progress
        }
        complete(row)
        return .finished
    }

    mutating func complete(_ row: DecisionRow) {
        let field = order.activities.contains { $0.isFieldWork && $0.status == .succeeded }
        let remote = order.activities.contains { $0.isCommand && $0.status == .succeeded }
        let outcome: Outcome = field ? .completedField : remote ? .completedRemote : .noActionNeeded
        var detail = "completed: \(Describe.accomplished(order))"
        if effectiveType == .backToBack, order.reading != nil {
            detail += "; the reading is the final reading of the outgoing occupant and the start reading of the incoming one"
            if !order.relatedOrderID.isEmpty { detail += " (merged order \(order.relatedOrderID))" }
        }
        finish(.completed, outcome, detail)
    }

    mutating func perform(_ step: PlanStep, table: DecisionTable, row: DecisionRow) -> StepProgress {
        switch step {
        case .command(let command): return commandStep(command, mustSucceed: true)
        case .tryCommand(let command): return commandStep(command, mustSucceed: false)
        case .field(let field): return fieldStep(field)
        case .fieldVisit(let fields):
            let open = fields.filter { !fieldDone($0) }
            guard let first = open.first else { return .satisfied }
            return fieldStep(first, combinedWith: Array(open.dropFirst()))
        case .remoteConnect: return connectStep()
        case .remoteDisconnect: return disconnectStep()
        case .verify: return verifyStep()
        case .reading: return readingStep(table.reading)
        case .recordLocation(let location):
            if holds(.supplyOff), device?.disconnectLocation != location { updateDevice { $0.disconnectLocation = location } }
            return .satisfied
        case .restoreSupply:
            if holds(.supplyConnected) { return .satisfied }
            let remote = device?.technology == .smartWithSwitch && holds(.commissioned)
                && !remoteFailed(.remoteConnect) && !remoteFailed(.arm)
            return remote ? connectStep() : fieldStep(.turnOn)
        case .holdForCutGate:
            guard let gate = cutGate() else { return .satisfied }
            hold(gate.reason, gate.detail, until: gate.until ?? now.adding(policy.openEndedHoldRecheck))
            return .waiting
        case .supersedePendingCut:
            guard let cut = pendingCut else { return .satisfied }
            decision.otherOrders.append(OrderChange(orderID: cut.orderID, event: .supersededBy(orderID: order.orderID)))
            // A compensation keeps its link to the cut it undoes; the superseded cut links back here.
            if order.relatedOrderID.isEmpty { order.relatedOrderID = cut.orderID }
            others.removeAll { $0.orderID == cut.orderID }
            emit(.noted, detail: "supersedes cut for non-payment \(cut.orderID), which had not executed")
            return .again
        case .mergeWithPartner:
            guard let partner = mergePartner else { return .satisfied }
            decision.otherOrders.append(OrderChange(orderID: partner.orderID, event: .mergedInto(orderID: order.orderID)))
            order.relatedOrderID = partner.orderID
            others.removeAll { $0.orderID == partner.orderID }
            emit(.noted, detail: "merged with \(Describe.type(partner.type)) \(partner.orderID) into one back-to-back")
            return .again
        case .waitForOtherOrder:
            let blocking = others.first { $0.isActive || ($0.type == .cutForNonPayment && $0.commandInFlight) }
            let what = blocking.map { "order \($0.orderID) (\(Describe.type($0.type)), \(Describe.status($0.status)))" } ?? "another order"
            setState(.scheduled, .awaitingOtherOrder, detail: "waiting for \(what) on the same service point", nextCheck: now.adding(policy.waitRecheck))
            return .waiting
        case .useTable(let type):
            guard let inner = DecisionTables.table(for: type), type != table.type else { return .satisfied }
            return run(inner)
        case .reEvaluate:
            return .again
        case .complete(let outcome):
            // What was found is why nothing more was done: the row's situation, not its name.
            let found = row.label.split(separator: "→").first.map { $0.trimmingSpaces } ?? row.label
            finish(.completed, outcome, "completed: \(Describe.accomplished(order)) (\(found))")
            return .finished
        case .autoVoid(let detail):
            finish(.cancelled, .autoVoided, detail)
            return .finished
        case .fail(let detail):
            finish(.failed, .failed, "\(detail); \(Describe.device(device))")
            return .finished
        case .only(let fact, let inner):
            return holds(fact) ? perform(inner, table: table, row: row) : .satisfied
        }
    }

    /// IN_PROGRESS with the sub-status of what the order waits for.
    mutating func awaitActivity(_ i: Int) {
        let activity = order.activities[i]
        let sub: OrderSubStatus
        if activity.command == .onDemandRead || activity.fieldActivity == .read {
            sub = .awaitingReading
        } else {
            sub = activity.isCommand ? .awaitingCommand : .awaitingFieldWork
        }
        setState(.inProgress, sub, detail: "waiting for \(Describe.activity(activity)) \(activity.activityID)", nextCheck: activity.expiresAt)
    }

    /// A cut still in our hands (queued, or field work not yet done) is pulled back when a gate closes.
    mutating func recallGatedCut() {
        guard effectiveType == .cutForNonPayment, let i = outstandingIndex else { return }
        let activity = order.activities[i]
        let recallable = activity.command == .remoteDisconnect ? activity.status == .queued : activity.fieldActivity == .turnOff
        guard recallable, let gate = cutGate() else { return }
        cancelActivity(i, "cut gate closed: \(gate.detail)")
    }

    // MARK: Steps

    mutating func commandStep(_ command: CommandType, mustSucceed: Bool) -> StepProgress {
        if command == .commission, holds(.commissioned) { return .satisfied }
        let done = commands(command)
        if done.contains(where: { $0.status == .succeeded }) { return .satisfied }
        if let latest = done.last, !ActivityState.isOutstanding(latest.status), latest.status != .cancelled {
            if !mustSucceed { return .satisfied }
            let why = latest.attempts.last?.detail ?? ""
            finish(.failed, .failed, "C: \(Describe.command(command)) failed after \(latest.attempts.count) attempts\(why.isEmpty ? "" : ": " + why); \(Describe.tried(order))")
            return .finished
        }
        if command == .decommission {
            // The meter taken away, through its own gateway: not the one fitted in its place.
            let removed = replacedMeterMemo
            create(command: command, gatewayID: removed.gatewayID.isEmpty ? nil : removed.gatewayID, meter: removed)
        } else {
            create(command: command)
        }
        return .waiting
    }

    /// Whether the goal of field activity `field` already holds.
    func fieldDone(_ field: FieldActivityType) -> Bool {
        switch field {
        case .turnOn, .reconnect, .connectAtSource: holds(.supplyConnected)
        case .turnOff: holds(.supplyOff)
        default: fieldWork(field).contains { $0.status == .succeeded }
        }
    }

    mutating func fieldStep(_ field: FieldActivityType, combinedWith: [FieldActivityType] = []) -> StepProgress {
        if combinedWith.isEmpty, fieldDone(field) { return .satisfied }
        let visits = fieldWork(field).filter { !ActivityState.isOutstanding($0.status) && $0.status != .cancelled }
        if visits.count >= policy.maxFieldVisits {
            finish(.failed, .failed, "F: \(Describe.field(field)) not done after \(visits.count) visits; \(Describe.tried(order))")
            return .finished
        }
        create(field: field, combinedWith: combinedWith)
        if orderType == .reconnectForPayment { extendDeadlineForFieldWork() }
        return .waiting
    }

    /// Safety gate, then remote connect or arm. The gate: the remote path is only taken while no
    /// safety refusal is unresolved (that holds the order) and the cut was at the meter switch
    /// (rows); in arm mode the customer completes the connect on site.
    mutating func connectStep() -> StepProgress {
        if holds(.supplyConnected) { return .satisfied }
        let connects = order.activities.filter { !$0.verification && ($0.command == .remoteConnect || $0.command == .arm) }
        if let latest = connects.last, latest.status == .outcomeUnknown {
            finish(.failed, .failed, "a connect has an unknown outcome that could not be verified; a person must check the meter; \(Describe.tried(order))")
            return .finished
        }
        if let armIndex = order.activities.lastIndex(where: { $0.command == .arm && $0.status == .succeeded }), holds(.supplyArmed) {
            let armedAt = order.activities[armIndex].updatedAt ?? now
            let deadline = armedAt.adding(policy.armWindow)
            if now < deadline {
                setState(.inProgress, .awaitingCustomer, detail: "switch armed at \(armedAt.iso8601); waiting for the customer to press the button until \(deadline.iso8601)", nextCheck: deadline)
                return .waiting
            }
            let checks = order.activities.filter { $0.verification && ($0.createdAt ?? now) >= deadline }
            if checks.isEmpty {
                create(command: .statusCheck, verification: true)
                return .waiting
            }
            var arm = order.activities[armIndex]
            arm.status = .failed
            if !arm.attempts.isEmpty { arm.attempts[arm.attempts.count - 1].detail = "the customer did not press the button by \(deadline.iso8601)" }
            arm.updatedAt = now
            order.activities[armIndex] = arm
            emit(.activityUpdated, detail: "C: ARM timed out: the customer did not connect by \(deadline.iso8601)", activity: arm)
            return .again
        }
        create(command: policy.connectMode == .arm ? .arm : .remoteConnect)
        return .waiting
    }

    mutating func disconnectStep() -> StepProgress {
        if holds(.supplyOff) { return .satisfied }
        let disconnects = commands(.remoteDisconnect)
        if let latest = disconnects.last, latest.status == .outcomeUnknown {
            finish(.failed, .failed, "a disconnect has an unknown outcome that could not be verified; a person must check the meter; \(Describe.tried(order))")
            return .finished
        }
        var expiry: Timestamp?
        if effectiveType == .cutForNonPayment {
            if let gate = cutGate() {
                hold(gate.reason, gate.detail, until: gate.until ?? now.adding(policy.openEndedHoldRecheck))
                return .waiting
            }
            let gateway = device?.gatewayID ?? ""
            if !releasedByOperator, let why = CutGates.guardrailTripped(gatewayID: gateway, volume: rules.disconnectVolume, limits: policy.guardrail) {
                hold(.massDisconnectGuardrail, why, until: nil, subStatus: .quarantined)
                return .waiting
            }
            // The command must not execute after the window closes or a moratorium starts.
            expiry = min(now.adding(policy.commandExpiry), CutGates.cutDeadline(device: device, rules: rules, now: now))
        }
        create(command: .remoteDisconnect, expiresAt: expiry)
        return .waiting
    }

    /// The last connect/disconnect/configuration command is confirmed by a later status check. A
    /// switch the gateway reported done whose checks all failed stands (the gateway said so); one
    /// whose check contradicted it was marked failed and retried when the result came in.
    mutating func verifyStep() -> StepProgress {
        guard let j = order.activities.lastIndex(where: { !$0.verification && $0.isCommand && (Switching.effect(of: $0) != nil || $0.command == .configure) }),
              order.activities[j].status == .succeeded else { return .satisfied }
        let checks = order.activities[(j + 1)...].filter { $0.verification }
        if !checks.isEmpty { return .satisfied }
        create(command: .statusCheck, verification: true, gatewayID: order.activities[j].gatewayID)
        return .waiting
    }

    mutating func readingStep(_ rule: ReadingRule) -> StepProgress {
        if order.reading != nil || !holds(.meterPresent) { return .satisfied }
        switch ReadingPolicy.choose(self, rule: rule) {
        case .adopt(let reading, let how):
            recordReading(reading, how)
            return .satisfied
        case .estimate(let reading):
            recordReading(reading, "estimate (flagged for billing): no actual reading could be obtained")
            return .satisfied
        case .onDemandRead:
            create(command: .onDemandRead)
            return .waiting
        case .fieldRead:
            create(field: .read)
            return .waiting
        case .unavailable(let why):
            finish(.failed, .failed, "\(why); \(Describe.tried(order))")
            return .finished
        }
    }

    /// A reconnect that needs a crew has the field deadline (business days) when that is later.
    mutating func extendDeadlineForFieldWork() {
        let start = max(order.receivedAt ?? now, request.requestedAt ?? now)
        let field = rules.calendar.addingBusinessDays(policy.reconnectFieldBusinessDays, to: start)
        if let deadline = order.deadline, deadline >= field { return }
        order.deadline = field
        emit(.noted, detail: "field reconnect: deadline \(field.iso8601) (\(policy.reconnectFieldBusinessDays) business day)")
    }
}
