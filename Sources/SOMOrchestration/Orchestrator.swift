import SOMCodec

/// The orchestration of service orders: a pure step function from what is known and what
/// happened to what to do next.
public enum Orchestrator {
    /// Applies `event` to the situation's order and re-evaluates it against the service point's
    /// current state: the order's new state, the activities to create, retry or cancel, device
    /// changes, changes to other orders on the SP and the events to append.
    public static func step(_ situation: Situation, _ event: OrchestratorEvent, policy: OrchestrationPolicy = .standard) -> Decision {
        var work = OrderWork(situation, policy: policy)
        work.apply(event)
        return work.finalized()
    }
}

extension OrderWork {
    mutating func apply(_ event: OrchestratorEvent) {
        if isTerminal {
            applyToTerminalOrder(event)
            return
        }
        escalateIfDue()
        switch event {
        case .evaluate, .deviceUpdated:
            break
        case .recheckDue:
            for activity in order.activities where ActivityState.isOutstanding(activity.status) {
                if let expiry = activity.expiresAt, expiry <= now { _ = applyTimeout(activity.activityID) }
            }
        case .commandResult(let result):
            guard applyCommandResult(result) else { return }
        case .activityProgress(let id, let status):
            guard applyProgress(id, status) else { return }
        case .fieldCompleted(let completion):
            guard applyFieldCompletion(completion) else { return }
        case .fieldNotDone(let notDone):
            guard applyNotDone(notDone) else { return }
        case .timedOut(let id):
            guard applyTimeout(id) else { return }
        case .cancelRequested(let by, let detail):
            applyCancel(by: by, detail: detail)
            return
        case .holdReleased(let note):
            guard applyRelease(note) else { return }
        case .supersededBy(let id):
            order.supersededBy = id
            order.relatedOrderID = id
            finish(.superseded, .superseded, "superseded by reconnect for payment \(id) before the cut executed")
            return
        case .mergedInto(let id):
            order.supersededBy = id
            order.relatedOrderID = id
            finish(.superseded, .superseded, "merged into back-to-back order \(id), which does the work of both")
            return
        }
        advance()
    }

    mutating func ignore(_ why: String) -> Bool {
        decision.ignoredBecause = why
        return false
    }

    /// A terminal order only takes late results (the device must stay true) and, for a cut that
    /// happened after all, triggers its compensation.
    mutating func applyToTerminalOrder(_ event: OrchestratorEvent) {
        let cutBefore = effectiveType == .cutForNonPayment && holds(.switchedByThisOrder)
        // A cancel compensates a cut that had happened or whose outcome was unknown (`applyCancel`).
        let compensatedBefore = mayHaveCut
        switch event {
        case .commandResult(let result):
            guard applyCommandResult(result, planning: false) else { return }
        case .fieldCompleted(let completion):
            guard applyFieldCompletion(completion) else { return }
        case .cancelRequested(let by, let detail):
            guard effectiveType == .cutForNonPayment, order.status == .completed, cutBefore else {
                _ = ignore("order is already \(Describe.status(order.status))")
                return
            }
            emit(.cancelRequested, detail: "cancel by \(by == .source ? "source" : "operator") after the cut executed: \(detail)")
            compensateCut("the cut executed before the cancel arrived")
            return
        default:
            _ = ignore("order is already \(Describe.status(order.status))")
            return
        }
        // A cut that happened (or may have) after the order was cancelled or superseded, and was not
        // compensated when it ended, is compensated now.
        let ended = order.status == .cancelled || order.status == .superseded
        if effectiveType == .cutForNonPayment, ended, !compensatedBefore, mayHaveCut {
            let how = Describe.name(order.status.protoName, "ORDER_STATUS_").lowercased()
            compensateCut(holds(.switchedByThisOrder) ? "the cut executed after the order was \(how)" : "the cut may have executed after the order was \(how) (outcome unknown)")
        }
    }

    /// This order's cut happened, or a disconnect's outcome is unknown.
    var mayHaveCut: Bool {
        order.activities.contains { activity in
            !activity.verification && Switching.effect(of: activity) == .disconnect
                && (activity.status == .succeeded || (activity.isCommand && activity.status == .outcomeUnknown))
        }
    }

    /// A reconnect for payment (taken in like any order) that undoes a cut nobody wants any more.
    mutating func compensateCut(_ why: String) {
        var request = ServiceOrderRequest(
            sourceSystem: self.request.sourceSystem, sourceRequestID: String(self.request.sourceRequestID.prefix(112)) + "#compensation",
            orderType: .reconnectForPayment, servicePointID: self.request.servicePointID, priority: .reconnect,
            contact: self.request.contact, notes: "compensates cut for non-payment \(order.orderID): \(why)"
        )
        request.serviceAgreements = self.request.serviceAgreements
        var compensation = OrderIntake.newOrder(request, now: now)
        compensation.relatedOrderID = order.orderID
        compensation.receivedAt = now
        decision.ordersToCreate.append(compensation)
        emit(.statusChanged, detail: "\(why): a reconnect for payment compensates it")
    }

    mutating func applyCancel(by: CancelSource, detail: String) {
        let who = by == .source ? "source" : "operator"
        emit(.cancelRequested, detail: "cancel by \(who): \(detail)")
        let tried = Describe.tried(order)
        // `finish` compensates a cut that happened (or may have) before the cancel.
        finish(.cancelled, by == .source ? .cancelledBySource : .cancelledByOperator, "cancelled by \(who)\(detail.isEmpty ? "" : ": " + detail); \(tried)")
    }

    mutating func applyRelease(_ note: String) -> Bool {
        guard order.status == .held else { return ignore("order is not held") }
        let reason = order.holdReason
        releasedByOperator = true
        setState(.scheduled, detail: "released by an operator\(note.isEmpty ? "" : ": " + note)")
        if reason == .safety,
           let i = order.activities.lastIndex(where: { $0.isCommand && !$0.verification && $0.status == .failed && $0.attempts.last?.failureClass == .safetyRefused }),
           order.activities[i].attempts.count < policy.commandRetry.maxAttempts {
            retry(i, after: .zero, "released by an operator after a safety refusal")
        }
        return true
    }

    mutating func applyProgress(_ id: String, _ status: ActivityStatus) -> Bool {
        guard let i = index(of: id) else { return ignore("no activity \(id) on this order") }
        guard ActivityState.isOutstanding(order.activities[i].status) else { return ignore("activity \(id) is already finished") }
        guard ActivityState.hasLeftQueue(status) else { return ignore("\(Describe.name(status.protoName, "ACTIVITY_STATUS_")) is not a progress status") }
        order.activities[i].status = status
        order.activities[i].updatedAt = now
        emit(.activityUpdated, detail: "\(Describe.activity(order.activities[i])) \(Describe.name(status.protoName, "ACTIVITY_STATUS_"))", activity: order.activities[i])
        return true
    }

    mutating func applyTimeout(_ id: String) -> Bool {
        guard let i = index(of: id) else { return ignore("no activity \(id) on this order") }
        let activity = order.activities[i]
        guard ActivityState.isOutstanding(activity.status) else { return ignore("activity \(id) is already finished") }
        if activity.isFieldWork {
            decision.activitiesToCancel.append(ActivityCancellation(activityID: id, isFieldWork: true, recall: ActivityState.hasLeftQueue(activity.status)))
            endAttempt(i, .expired, detail: "no report from the field by \(activity.expiresAt?.iso8601 ?? "its expiry")")
            return true
        }
        if activity.status == .queued {
            // Never left our queue: it did not happen, so it may simply be queued again.
            endAttempt(i, .expired, detail: "expired in the queue: never sent")
            let limit = activity.verification ? policy.verificationAttempts : policy.commandRetry.maxAttempts
            if activity.attempts.count < limit {
                retry(i, after: policy.commandRetry.backoff(afterAttempt: activity.attempts.count), "after expiring in the queue")
            }
            return true
        }
        return applyCommandResult(CommandResult(commandID: id, kind: .outcomeUnknown, detail: "no result by \(activity.expiresAt?.iso8601 ?? "its expiry")"))
    }

    /// Raises a reconnect's priority to EMERGENCY as its deadline nears.
    mutating func escalateIfDue() {
        guard orderType == .reconnectForPayment, let deadline = order.deadline, order.effectivePriority != .emergency else { return }
        guard now >= deadline.adding(.zero - policy.reconnectEscalationLead) else { return }
        order.effectivePriority = .emergency
        for i in order.activities.indices where order.activities[i].status == .queued {
            order.activities[i].priority = .emergency
            decision.activitiesToReprioritize.append(order.activities[i])
        }
        emit(.statusChanged, detail: "priority escalated to EMERGENCY: deadline \(deadline.iso8601) is near")
    }

    mutating func finalized() -> Decision {
        if isTerminal {
            order.nextCheckAt = nil
        } else {
            var next = order.nextCheckAt
            func earliest(_ candidate: Timestamp?) {
                guard let candidate else { return }
                if next.map({ candidate < $0 }) ?? true { next = candidate }
            }
            for activity in order.activities where ActivityState.isOutstanding(activity.status) { earliest(activity.expiresAt) }
            if orderType == .reconnectForPayment, order.effectivePriority != .emergency, let deadline = order.deadline {
                earliest(deadline.adding(.zero - policy.reconnectEscalationLead))
            }
            order.nextCheckAt = next
        }
        if !decision.events.isEmpty { order.updatedAt = now }
        decision.order = order
        if device != originalDevice { decision.device = device }
        return decision
    }
}
