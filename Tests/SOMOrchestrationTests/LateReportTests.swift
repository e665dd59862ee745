import SOMCodec
import SOMOrchestration
import Testing

/// Issue 10 at the decision level: late reports are facts, unknown switches are decided by their
/// status check alone, and a compensation stays linked to the cut it undoes.
@Suite("Late reports, unknown switches and compensation links", .timeLimit(.minutes(1)))
struct LateReportTests {
    typealias F = Fixture

    func cutOnManualMeter() -> Driver {
        Driver(F.order(.cutForNonPayment), F.device(.manual, .connected))
    }

    @Test("a crew's cut reported after the order was superseded is taken in and compensated")
    func lateCutAfterSupersede() throws {
        var d = cutOnManualMeter()
        d.step(.evaluate)
        let cut = try #require(d.outstanding)
        #expect(cut.fieldActivity == .turnOff)
        d.step(.supersededBy(orderID: "SO7"))
        #expect(d.order.status == .superseded)
        let late = d.step(.fieldCompleted(CompleteFieldWorkRequest(activityID: cut.activityID, supplyStateAfter: .disconnected, at: d.now)))
        #expect(d.device?.supplyState == .disconnected)
        #expect(d.order.activities.first?.status == .succeeded)
        let compensation = try #require(late.ordersToCreate.first)
        #expect(compensation.request?.orderType == .reconnectForPayment && compensation.relatedOrderID == "SO1")
        #expect(late.events.contains { $0.detail.contains("after the order was superseded") })
        // The same report again compensates nothing more.
        let again = d.step(.fieldCompleted(CompleteFieldWorkRequest(activityID: cut.activityID, supplyStateAfter: .disconnected, at: d.now)))
        #expect(again.ordersToCreate.isEmpty && again.ignoredBecause != nil)
    }

    @Test("a completion after another crew's NOT_DONE of the same item is a fact")
    func completionAfterNotDone() throws {
        var d = cutOnManualMeter()
        d.step(.evaluate)
        let first = try #require(d.outstanding)
        d.fieldNotDone(.noAccess)
        let late = d.step(.fieldCompleted(CompleteFieldWorkRequest(activityID: first.activityID, supplyStateAfter: .disconnected, at: d.now)))
        #expect(late.ignoredBecause == nil)
        #expect(d.device?.supplyState == .disconnected)
    }

    @Test("while a switch's outcome is unknown, a late failure or a second unknown starts nothing")
    func unknownSwitchIsDecidedByItsCheck() throws {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch, .connected))
        d.step(.evaluate)
        let disconnect = try #require(d.outstanding)
        d.command(.outcomeUnknown)
        #expect(d.last.command == .statusCheck && d.last.verification)
        for kind in [CommandResultKind.outcomeUnknown, .failed] {
            let late = d.step(.commandResult(CommandResult(commandID: disconnect.activityID, kind: kind, failureClass: .permanent, at: d.now)))
            #expect(late.activitiesToCreate.isEmpty && late.activitiesToRetry.isEmpty && late.ignoredBecause != nil)
        }
        // The check says it did not happen: exactly one re-issue.
        let checked = d.command(.succeeded, observed: .connected)
        #expect(checked.activitiesToRetry.map(\.activityID) == [disconnect.activityID])
    }

    @Test("a late success of an earlier attempt takes back the retry waiting in the queue")
    func lateSuccessCancelsQueuedRetry() throws {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch, .connected))
        d.step(.evaluate)
        let disconnect = try #require(d.outstanding)
        d.command(.outcomeUnknown)
        d.command(.succeeded, observed: .connected)
        #expect(d.order.activities.first?.status == .queued, "re-issued after the check")
        let late = d.step(.commandResult(CommandResult(commandID: disconnect.activityID, kind: .succeeded, observedSupplyState: .disconnected, at: d.now)))
        #expect(late.activitiesToCancel.map(\.activityID) == [disconnect.activityID])
        #expect(d.device?.supplyState == .disconnected)
    }

    @Test("a retried cut command expires at the window's cut-off, like the first")
    func retriedCutExpiresAtCutOff() throws {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch, .connected))
        d.advance(4 * F.hour) // 14:00; the default window closes at 15:00
        d.step(.evaluate)
        d.command(.outcomeUnknown)
        let checked = d.command(.succeeded, observed: .connected)
        let retry = try #require(checked.activitiesToRetry.first)
        #expect(retry.expiresAt == F.at(plus: 5 * F.hour))
    }

    @Test("a compensation that supersedes another pending cut keeps its link to the cut it undoes")
    func compensationKeepsItsLink() throws {
        var order = F.order(.reconnectForPayment, id: "SO5")
        order.relatedOrderID = "SO1"
        var d = Driver(order, F.device(.smartWithSwitch, .disconnected, location: .meterSwitch),
                       others: [F.other(.cutForNonPayment, .scheduled, id: "SO3")])
        let decision = d.step(.evaluate)
        #expect(decision.otherOrders.map(\.orderID) == ["SO3"])
        #expect(d.order.relatedOrderID == "SO1")
    }
}
