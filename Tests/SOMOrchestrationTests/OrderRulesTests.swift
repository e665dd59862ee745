import SOMCodec
import SOMOrchestration
import Testing

@Suite("Rules between orders on one service point", .timeLimit(.minutes(2)))
struct OrderRulesTests {
    typealias F = Fixture

    @Test("a reconnect supersedes a cut that has not executed; the cut ends SUPERSEDED, linked, its queued command cancelled")
    func supersession() {
        var cut = Driver(F.order(.cutForNonPayment, id: "SO1"), F.device(.smartWithSwitch))
        cut.step(.evaluate)
        var reconnect = Driver(F.order(.reconnectForPayment, id: "SO2"), cut.device, others: [OrderOnServicePoint(cut.order)])
        let decision = reconnect.step(.evaluate)
        #expect(decision.otherOrders == [OrderChange(orderID: "SO1", event: .supersededBy(orderID: "SO2"))])
        #expect(reconnect.order.status == .completed && reconnect.order.outcome == .noActionNeeded && reconnect.order.relatedOrderID == "SO1")
        let superseded = cut.step(decision.otherOrders[0].event)
        #expect(cut.order.status == .superseded && cut.order.outcome == .superseded && cut.order.supersededBy == "SO2")
        #expect(superseded.activitiesToCancel.map(\.activityID) == ["SO1-A1"])
        #expect(superseded.events.last?.type == .superseded)
    }

    @Test("a reconnect waits while a cut command is in flight, then reconnects once the cut is known")
    func waitsForInFlightCut() {
        var cut = Driver(F.order(.cutForNonPayment, id: "SO1"), F.device(.smartWithSwitch))
        cut.step(.evaluate)
        cut.step(.activityProgress(activityID: "SO1-A1", status: .dispatched))
        var reconnect = Driver(F.order(.reconnectForPayment, id: "SO2"), cut.device, others: [OrderOnServicePoint(cut.order)])
        reconnect.step(.evaluate)
        #expect(reconnect.order.status == .scheduled && reconnect.order.subStatus == .awaitingOtherOrder)
        #expect(reconnect.order.statusDetail.contains("SO1") && reconnect.order.nextCheckAt != nil)
        cut.command(.succeeded)
        cut.command(.succeeded, observed: .disconnected)
        cut.command(.succeeded, reading: F.reading(1, at: cut.now, source: .onDemand))
        #expect(cut.order.status == .completed)
        reconnect.device = cut.device
        reconnect.others = []
        reconnect.step(.evaluate)
        #expect(reconnect.last.command == .remoteConnect)
    }

    @Test("one order at a time per SP: a second order waits SCHEDULED with the reason")
    func oneAtATime() {
        var read = Driver(F.order(.offCycleRead, id: "SO1"), F.device(.manual))
        read.step(.evaluate)
        var exchange = Driver(F.order(.exchangeMeter, id: "SO2"), read.device, others: [OrderOnServicePoint(read.order)])
        exchange.step(.evaluate)
        #expect(exchange.order.status == .scheduled && exchange.order.subStatus == .awaitingOtherOrder && exchange.order.activities.isEmpty)
        #expect(exchange.order.nextCheckAt == F.at(plus: 900))
    }

    @Test("a stop and a start for the same day merge into one back-to-back; one reading serves both")
    func merge() {
        var stop = Driver(F.order(.disableService, id: "SO1", requestedAt: F.monday10), F.device(.manual, .connected, lastReading: F.reading(5, at: F.at(plus: -F.hour))))
        let start = F.order(.enableService, id: "SO2", requestedAt: F.at(plus: 2 * F.hour))
        stop.others = [OrderOnServicePoint(start)]
        let decision = stop.step(.evaluate)
        #expect(decision.otherOrders == [OrderChange(orderID: "SO2", event: .mergedInto(orderID: "SO1"))])
        #expect(decision.rowsApplied.contains("BACK_TO_BACK: connected and stop = start → no switching; one reading serves as the old customer's final and the new customer's start"))
        #expect(stop.order.status == .completed && stop.order.reading?.valueMilli == 5 && stop.order.relatedOrderID == "SO2")
        #expect(!stop.order.activities.contains { $0.fieldActivity == .turnOff })
        var merged = Driver(start, stop.device)
        merged.step(.mergedInto(orderID: "SO1"))
        #expect(merged.order.status == .superseded && merged.order.supersededBy == "SO1")
    }

    @Test("a stop and a start on different days do not merge: disable now, enable later")
    func noMergeAcrossDays() {
        var stop = Driver(F.order(.disableService, id: "SO1", requestedAt: F.monday10), F.device(.manual, .connected))
        stop.others = [OrderOnServicePoint(F.order(.enableService, id: "SO2", requestedAt: F.at(plus: 2 * F.day)))]
        let decision = stop.step(.evaluate)
        #expect(decision.otherOrders.isEmpty && stop.last.fieldActivity == .turnOff)
    }

    @Test("cancel from the source cancels queued work and recalls dispatched field work")
    func cancel() {
        var d = Driver(F.order(.enableService), F.device(.manual, .disconnected))
        d.step(.evaluate)
        d.step(.activityProgress(activityID: "SO1-A1", status: .assigned))
        let decision = d.step(.cancelRequested(by: .source, detail: "customer moved elsewhere"))
        #expect(d.order.status == .cancelled && d.order.outcome == .cancelledBySource)
        #expect(decision.activitiesToCancel == [ActivityCancellation(activityID: "SO1-A1", isFieldWork: true, recall: true)])
        #expect(decision.events.map(\.type).contains(.cancelRequested) && decision.events.last?.type == .cancelled)
        #expect(d.order.statusDetail.contains("customer moved elsewhere"))
        let again = d.step(.cancelRequested(by: .operator, detail: ""))
        #expect(again.ignoredBecause != nil)
    }

    @Test("a cut that executed before the cancel arrived is compensated by a reconnect")
    func compensation() {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch))
        d.step(.evaluate)
        d.command(.succeeded)
        let decision = d.step(.cancelRequested(by: .source, detail: "recalled"))
        #expect(d.order.status == .cancelled)
        let compensation = decision.ordersToCreate.first
        #expect(compensation?.request?.orderType == .reconnectForPayment && compensation?.relatedOrderID == "SO1")
        #expect(compensation?.request?.sourceRequestID == "R-SO1#compensation" && compensation?.effectivePriority == .reconnect)
        // After completion too.
        var done = Driver(F.order(.cutForNonPayment), F.device(.manual))
        done.step(.evaluate)
        done.fieldDone(readings: [F.reading(3, at: done.now, source: .field)], location: .curbValve)
        #expect(done.order.status == .completed)
        let late = done.step(.cancelRequested(by: .source, detail: "paid yesterday"))
        #expect(late.ordersToCreate.count == 1 && done.order.status == .completed)
        // A cut cancelled before it happened needs nothing.
        var early = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch))
        early.step(.evaluate)
        #expect(early.step(.cancelRequested(by: .source, detail: "")).ordersToCreate.isEmpty)
    }

    @Test("a cut that lands after its cancel (command was in flight) is compensated when the result arrives")
    func lateCutCompensated() {
        var d = Driver(F.order(.cutForNonPayment), F.device(.smartWithSwitch))
        d.step(.evaluate)
        d.step(.activityProgress(activityID: "SO1-A1", status: .accepted))
        let cancel = d.step(.cancelRequested(by: .source, detail: ""))
        #expect(cancel.ordersToCreate.isEmpty && cancel.activitiesToCancel.first?.recall == true)
        let late = d.step(.commandResult(CommandResult(commandID: "SO1-A1", kind: .succeeded)))
        #expect(late.ordersToCreate.count == 1 && late.device?.supplyState == .disconnected)
    }

    @Test("field NOT_DONE responses", arguments: [
        (OrderType.cutForNonPayment, NotDoneReason.paidAtDoor, OrderStatus.cancelled),
        (.cutForNonPayment, .unsafe, .held),
        (.enableService, .customerRefused, .failed),
        (.enableService, .noAccess, .inProgress),
        (.enableService, .paidAtDoor, .inProgress),
    ])
    func notDone(type: OrderType, reason: NotDoneReason, status: OrderStatus) {
        let device = type == .cutForNonPayment ? F.device(.manual, .connected) : F.device(.manual, .disconnected)
        var d = Driver(F.order(type), device)
        d.step(.evaluate)
        d.fieldNotDone(reason)
        #expect(d.order.status == status)
        if status == .cancelled { #expect(d.order.outcome == .autoVoided) }
        if status == .held { #expect(d.order.holdReason == .safety && d.order.nextCheckAt != nil) }
        if status == .inProgress { #expect(d.order.activities.count == 2 && d.last.status == .queued) }
    }

    @Test("no access three times → FAILED, saying what was tried")
    func visitLimit() {
        var d = Driver(F.order(.enableService), F.device(.manual, .disconnected))
        d.step(.evaluate)
        for _ in 0..<3 { d.fieldNotDone(.noAccess) }
        #expect(d.order.status == .failed && d.order.outcome == .failed)
        #expect(d.order.statusDetail.contains("not done after 3 visits") && d.order.statusDetail.contains("NO_ACCESS"))
    }
}
