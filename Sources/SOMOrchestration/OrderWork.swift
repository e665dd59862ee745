import SOMCodec

/// The mutable state of one step: the order, device and other orders as the step changes them,
/// and the decision being built. Only `Orchestrator.step` creates one.
struct OrderWork {
    let policy: OrchestrationPolicy
    let rules: BusinessInputs
    let now: Timestamp
    var order: Order
    var device: ServicePointDevice?
    let originalDevice: ServicePointDevice?
    var others: [OrderOnServicePoint]
    var decision: Decision
    /// An operator released a hold in this step: the guardrail lets this order's cut through.
    var releasedByOperator = false

    init(_ situation: Situation, policy: OrchestrationPolicy) {
        self.policy = policy
        rules = situation.rules
        now = situation.now
        order = situation.order
        device = situation.device
        originalDevice = situation.device
        others = situation.otherOrders.filter { $0.orderID != situation.order.orderID }
        decision = Decision(order: situation.order)
    }

    var request: ServiceOrderRequest { order.request ?? ServiceOrderRequest() }
    var orderType: OrderType { request.orderType }
    var isTerminal: Bool { Lifecycle.isTerminal(order.status) }

    /// The table the order follows: a stop or start merged with its partner acts as a back-to-back.
    var effectiveType: OrderType {
        if (orderType == .enableService || orderType == .disableService), !order.relatedOrderID.isEmpty { return .backToBack }
        return orderType
    }

    /// The device, created empty for a service point the server has no record of.
    mutating func ensureDevice() -> ServicePointDevice {
        if let device { return device }
        let created = ServicePointDevice(servicePointID: request.servicePointID, technology: .none, supplyState: .unknown)
        device = created
        return created
    }

    mutating func updateDevice(_ change: (inout ServicePointDevice) -> Void) {
        var updated = ensureDevice()
        change(&updated)
        updated.updatedAt = now
        device = updated
    }

    // MARK: Events

    mutating func emit(_ type: OrderEventType, detail: String = "", activity: Activity? = nil, reading: Reading? = nil) {
        decision.events.append(OrderEvent(
            orderID: order.orderID, type: type, at: now, status: order.status, subStatus: order.subStatus,
            sourceSystem: request.sourceSystem, servicePointID: request.servicePointID, orderType: orderType,
            activity: activity, reading: reading, detail: detail, holdReason: order.holdReason, outcome: order.outcome
        ))
    }

    /// Moves the order to a status; an event is appended when the status, sub-status or hold changed.
    mutating func setState(
        _ status: OrderStatus, _ subStatus: OrderSubStatus = .unspecified, hold: HoldReason = .unspecified,
        detail: String, nextCheck: Timestamp? = nil
    ) {
        let wasHeld = order.status == .held
        // Only a new status, sub-status or hold is an event; a new wording of the same state
        // (another activity awaited, a later re-check) updates the detail silently.
        let changed = order.status != status || order.subStatus != subStatus || order.holdReason != hold
        if changed || order.statusDetail != detail { order.updatedAt = now }
        order.status = status
        order.subStatus = subStatus
        order.holdReason = hold
        order.statusDetail = detail
        order.nextCheckAt = nextCheck
        guard changed else { return }
        let type: OrderEventType
        switch status {
        case .held: type = .held
        case .completed: type = .completed
        case .failed: type = .failed
        case .cancelled: type = .cancelled
        case .superseded: type = .superseded
        default: type = wasHeld ? .released : .statusChanged
        }
        emit(type, detail: detail, reading: status == .completed ? order.reading : nil)
    }

    /// Holds the order; `until` nil means only an operator releases it (re-surfaced for review).
    mutating func hold(_ reason: HoldReason, _ detail: String, until: Timestamp?, subStatus: OrderSubStatus = .unspecified) {
        let recheck = until ?? now.adding(policy.operatorHoldReview)
        setState(.held, subStatus, hold: reason, detail: detail, nextCheck: recheck)
    }

    /// Ends the order; outstanding work is cancelled first so nothing is left behind.
    mutating func finish(_ status: OrderStatus, _ outcome: Outcome, _ detail: String) {
        let cancelled = cancelOutstanding(reason: "the order ended " + Describe.status(status))
        order.outcome = outcome
        order.completedAt = now
        var text = detail
        if !cancelled.isEmpty { text += "; cancelled outstanding activities " + cancelled.joined(separator: ", ") }
        setState(status, detail: text)
        // However a cut ends unwanted (cancel, auto-void, paid at the door), a cut that happened or
        // may have happened is undone; a late result later finds it compensated already.
        if effectiveType == .cutForNonPayment, status == .cancelled || status == .superseded, mayHaveCut {
            let how = Describe.status(status).lowercased()
            compensateCut(holds(.switchedByThisOrder)
                ? "the cut executed before the order was \(how)" : "the cut may have executed before the order was \(how) (outcome unknown)")
        }
    }

    // MARK: Activities

    func index(of activityID: String) -> Int? { order.activities.firstIndex { $0.activityID == activityID } }

    var outstandingIndex: Int? { order.activities.lastIndex { ActivityState.isOutstanding($0.status) } }

    /// Creates and queues an activity with a deterministic id (`<order id>-A<n>`). It names the
    /// meter it addresses (`meter`, else the device's) as found now, and for an install or
    /// exchange the meter the order asked for.
    @discardableResult
    mutating func create(
        command: CommandType = .unspecified, field: FieldActivityType = .unspecified, verification: Bool = false,
        gatewayID: String? = nil, remarks: String = "", expiresAt: Timestamp? = nil, meter: ActivityMemo? = nil,
        combinedWith: [FieldActivityType] = []
    ) -> Activity {
        let due: Timestamp
        if field != .unspecified, let start = request.appointmentWindow?.start, start > now { due = start } else { due = now }
        let expiry = expiresAt ?? due.adding(field != .unspecified ? policy.fieldWorkExpiry : policy.commandExpiry)
        let found = meter ?? ActivityMemo(device: device)
        let gateway = gatewayID ?? found.gatewayID
        if command != .unspecified, !gateway.isEmpty, let registered = rules.registeredGateways, !registered.contains(gateway) {
            // Queued, the command would wait for an adapter that may never be allowed to pull it,
            // invisibly; held, the order says why.
            hold(.unknownGateway, "gateway \(gateway) is not registered; its commands wait until an admin registers it (somctl gateways add \(gateway))",
                 until: now.adding(policy.openEndedHoldRecheck))
            return Activity(command: command, gatewayID: gateway)
        }
        let fitsMeter = field == .install || field == .exchange || combinedWith.contains(.install)
        let activity = Activity(
            activityID: "\(order.orderID)-A\(order.activities.count + 1)", command: command, fieldActivity: field,
            status: .queued, attempts: [Attempt(number: 1, startedAt: now, result: .queued)],
            gatewayID: gateway,
            priority: order.effectivePriority, dueAt: due, expiresAt: expiry, remarks: remarks,
            verification: verification, createdAt: now, updatedAt: now,
            meterID: found.meterID, newMeterID: fitsMeter ? request.newMeterID : "",
            meterTechnology: found.technology, supplyStateFound: found.supplyBefore, combinedWith: combinedWith
        )
        order.activities.append(activity)
        decision.activitiesToCreate.append(activity)
        emit(.activityCreated, detail: Describe.activity(activity), activity: activity)
        return activity
    }

    /// Closes the current attempt of activity `i` with `result`.
    mutating func endAttempt(_ i: Int, _ result: ActivityStatus, failure: FailureClass = .unspecified, detail: String = "") {
        var activity = order.activities[i]
        if activity.attempts.isEmpty { activity.attempts.append(Attempt(number: 1, startedAt: activity.createdAt)) }
        let last = activity.attempts.count - 1
        activity.attempts[last].endedAt = now
        activity.attempts[last].result = result
        activity.attempts[last].failureClass = failure
        if !detail.isEmpty { activity.attempts[last].detail = detail }
        activity.status = result
        activity.updatedAt = now
        order.activities[i] = activity
        emit(.activityUpdated, detail: Describe.attempt(activity, detail), activity: activity)
    }

    /// Queues activity `i` again as a new attempt after `wait`.
    mutating func retry(_ i: Int, after wait: Duration, _ detail: String) {
        var activity = order.activities[i]
        let due = now.adding(wait)
        activity.status = .queued
        activity.dueAt = due
        activity.expiresAt = due.adding(activity.isFieldWork ? policy.fieldWorkExpiry : policy.commandExpiry)
        if activity.command == .remoteDisconnect, effectiveType == .cutForNonPayment, let expiry = activity.expiresAt {
            // Like the first attempt: a cut must not execute after the window closes or a moratorium starts.
            activity.expiresAt = min(expiry, CutGates.cutDeadline(device: device, rules: rules, now: due))
        }
        activity.attempts.append(Attempt(number: UInt32(activity.attempts.count + 1), startedAt: now, result: .queued, detail: detail))
        activity.updatedAt = now
        activity.priority = order.effectivePriority
        order.activities[i] = activity
        decision.activitiesToRetry.append(activity)
        emit(.activityUpdated, detail: "retry \(activity.attempts.count) at \(due.iso8601): \(detail)", activity: activity)
    }

    /// Cancels every outstanding activity; returns their ids.
    mutating func cancelOutstanding(reason: String) -> [String] {
        var ids: [String] = []
        for i in order.activities.indices where ActivityState.isOutstanding(order.activities[i].status) {
            cancelActivity(i, reason)
            ids.append(order.activities[i].activityID)
        }
        return ids
    }

    mutating func cancelActivity(_ i: Int, _ reason: String) {
        let activity = order.activities[i]
        decision.activitiesToCancel.append(ActivityCancellation(
            activityID: activity.activityID, isFieldWork: activity.isFieldWork, recall: ActivityState.hasLeftQueue(activity.status)
        ))
        endAttempt(i, .cancelled, detail: "cancelled: \(reason)")
    }

    /// Activities of this order (not verifications) doing `command`.
    func commands(_ command: CommandType) -> [Activity] {
        order.activities.filter { $0.command == command && !$0.verification }
    }

    /// Field activities of this order doing `type`, alone or combined into one visit with other work.
    func fieldWork(_ type: FieldActivityType) -> [Activity] {
        order.activities.filter { $0.fieldActivity == type || ($0.isFieldWork && $0.combinedWith.contains(type)) }
    }

    /// Records a reading on the order (once) with its event.
    mutating func recordReading(_ reading: Reading, _ how: String) {
        order.reading = reading
        emit(.readingRecorded, detail: how, reading: reading)
    }
}

extension String {
    func replacingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
