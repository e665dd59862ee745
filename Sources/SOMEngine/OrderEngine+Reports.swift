public import SOMCodec
public import SOMScheduler
public import SOMStore

/// What a field adapter reported, as the orders take it in. The queue sees only its
/// `FieldWorkReport` (which activity, the new status); the rest is for the order.
public enum FieldReport: Sendable, Hashable {
    case update(FieldWorkUpdateRequest)
    case complete(CompleteFieldWorkRequest)
    case notDone(NotDoneFieldWorkRequest)

    /// The part the field-work queue reads.
    var queueReport: FieldWorkReport {
        switch self {
        case .update(let request):
            .update(FieldWorkUpdate(activityID: ActivityID(request.activityID), status: request.status, appointment: request.appointment))
        case .complete(let request): .complete(activityID: ActivityID(request.activityID))
        case .notDone(let request): .notDone(activityID: ActivityID(request.activityID))
        }
    }
}

extension OrderEngine {
    /// Applies a gateway adapter's results to the queue, then steps the orders they concern.
    ///
    /// - Parameter gatewayID: the reporting gateway; nil takes results for any gateway's commands.
    /// - Returns: per result, whether it was applied; and `step`'s answer (the store's error when
    ///   the steps could not commit: they are owed, and reporting the same results again is harmless).
    public func report(_ results: [CommandResult], gatewayID: GatewayID?) async -> (applied: [Bool], failure: StoreError?) {
        let reported = results.enumerated().map { index, result in
            ReportedResult(commandID: CommandAttemptID(result.commandID), kind: result.kind, failureClass: result.failureClass, detail: result.detail, tag: index)
        }
        let outcome = await scheduler.report(reported, gatewayID: gatewayID)
        return (outcome.applied, await handle(outcome.events, results: results))
    }

    /// Applies a field adapter's report to the queue, then steps the order it concerns.
    ///
    /// - Returns: whether it was applied, and `step`'s answer (see `report(_:gatewayID:)`).
    public func report(_ report: FieldReport) async -> (applied: Bool, failure: StoreError?) {
        let (applied, events) = await scheduler.reportFieldWork(report.queueReport)
        return (applied, await handle(events, report: report))
    }

    /// The workforce system confirms it stopped cancelled work (see
    /// `Scheduler.acknowledgeFieldWorkCancel(activityID:)`), then the orders take the timer events.
    public func acknowledgeFieldWorkCancel(activityID: ActivityID) async -> (applied: Bool, failure: StoreError?) {
        let (applied, events) = await scheduler.acknowledgeFieldWorkCancel(activityID: activityID)
        return (applied, await handle(events))
    }
}

extension [CommandResult] {
    /// The result a scheduler event answers, found by its tag (its position in the report).
    func reported(_ result: ReportedResult) -> CommandResult? {
        indices.contains(result.tag) ? self[result.tag] : nil
    }
}
