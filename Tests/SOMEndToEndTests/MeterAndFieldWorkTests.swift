import Foundation
import SOMClient
import SOMCodec
import SOMOrchestration
import SOMStore
import Testing

/// Issue 10 items 1, 6, 9, 10 and 11 over the socket: a real server, the test playing gateway
/// and crews with fixed answers.
@Suite("Meters, device facts and field work with a scripted adapter", .timeLimit(.minutes(1)))
struct MeterAndFieldWorkTests {
    /// Status-type events must each change status, sub-status or hold.
    static func expectEveryStatusEventChangesSomething(_ events: [OrderEvent]) {
        var previous: (OrderStatus, OrderSubStatus, HoldReason)?
        for event in events {
            let state = (event.status, event.subStatus, event.holdReason)
            if [.statusChanged, .held, .released].contains(event.type), let previous {
                #expect(previous != state, "a \(event.type) event that changed nothing: \(event.detail)")
            }
            if event.type != .activityCreated, event.type != .activityUpdated { previous = state }
        }
    }

    /// Answers an on-demand read if the order asks for one, then waits for the order to end.
    static func finish(_ client: SOMClient, _ id: String, gateway: inout ScriptedGateway, meter: String) async throws -> Order {
        let order = try await waitForOrder(client, id) { $0.status.isTerminal || $0.activities.last?.command == .onDemandRead }
        guard !order.status.isTerminal else { return order }
        let read = try await gateway.next()
        #expect(read.type == .onDemandRead && read.meterID == meter)
        try await gateway.answer(read, .succeeded, reading: Reading(valueMilli: 123_456, unit: "kWh", readAt: .now(), source: .onDemand, meterID: meter))
        return try await waitForOrder(client, id) { $0.status.isTerminal }
    }

    @Test("meter exchange: the crew is told both meters; the decommission names the removed meter on its own gateway")
    func exchange() async throws {
        try await withSimulatedServer(simulate: false) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, [ServicePointDevice(
                servicePointID: "SP-EX", meterID: "M-OLD", technology: .smartWithSwitch, gatewayID: "GW-A", commissioned: true,
                supplyState: .connected, region: "R1")])
            var oldGateway = try await ScriptedGateway(client, gateway: "GW-A")
            var newGateway = try await ScriptedGateway(client, gateway: "GW-B")
            var crew = try await ScriptedCrew(client, pool: "R1")
            var request = ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "EX-1", orderType: .exchangeMeter, servicePointID: "SP-EX")
            request.newMeterID = "M-NEW"
            let id = try await submitOrder(client, request)

            let item = try await crew.next()
            #expect(item.type == .exchange && item.meterID == "M-OLD" && item.newMeterID == "M-NEW")
            #expect(item.meterTechnology == .smartWithSwitch && item.gatewayID == "GW-A" && item.pool == "R1")
            #expect(item.dueAt != nil && item.expiresAt != nil)
            let now = Timestamp.now()
            _ = try await client.completeFieldWork(CompleteFieldWorkRequest(
                activityID: item.activityID,
                readings: [Reading(valueMilli: 9_000, unit: "kWh", readAt: now, source: .field, meterID: "M-OLD"),
                           Reading(valueMilli: 0, unit: "kWh", readAt: now, source: .field, meterID: "M-NEW")],
                installedMeterID: "M-NEW", installedTechnology: .smartWithSwitch, installedGatewayID: "GW-B",
                removedMeterID: "M-OLD", supplyStateAfter: .disconnected, at: now))

            let decommission = try await oldGateway.next()
            #expect(decommission.type == .decommission && decommission.meterID == "M-OLD" && decommission.gatewayID == "GW-A")
            try await oldGateway.answer(decommission, .succeeded)
            let commission = try await newGateway.next()
            #expect(commission.type == .commission && commission.meterID == "M-NEW")
            try await newGateway.answer(commission, .succeeded)
            let connect = try await newGateway.next()
            #expect(connect.type == .remoteConnect && connect.meterID == "M-NEW", "the old meter was connected, so the new one is")
            try await newGateway.answer(connect, .succeeded)
            let check = try await newGateway.next()
            #expect(check.type == .statusCheck)
            try await newGateway.answer(check, .succeeded, observed: .connected)

            let order = try await Self.finish(client, id, gateway: &newGateway, meter: "M-NEW")
            #expect(order.status == .completed, "\(order.statusDetail)")
            let stored = try #require(order.activities.first { $0.command == .decommission })
            #expect(stored.meterID == "M-OLD" && stored.remarks.isEmpty, "the meter is a field, not text in remarks")
            #expect(stored.attempts.last?.answeredDelivery == 1, "the result named the delivery it answers")
            #expect(order.statusDetail.contains("exchanged meter M-OLD") && order.statusDetail.contains("decommissioned meter M-OLD"), "\(order.statusDetail)")
            let device = try await client.device(servicePointID: "SP-EX")
            #expect(device.meterID == "M-NEW" && device.commissioned && device.supplyState == .connected)
            Self.expectEveryStatusEventChangesSomething(try events(of: id, in: store))
        }
    }

    @Test("a switch that is not capable is learned: the device is updated with an event, a crew cuts, the next order plans a field visit")
    func learnedNoSwitch() async throws {
        try await withSimulatedServer(simulate: false) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, [ServicePointDevice(
                servicePointID: "SP-NS", meterID: "M-NS", technology: .smartWithSwitch, gatewayID: "GW-N", commissioned: true,
                supplyState: .connected, region: "R2")])
            var gateway = try await ScriptedGateway(client, gateway: "GW-N")
            var crew = try await ScriptedCrew(client, pool: "R2")
            let cut = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "NS-1", orderType: .cutForNonPayment, servicePointID: "SP-NS"))

            let disconnect = try await gateway.next()
            #expect(disconnect.type == .remoteDisconnect)
            try await gateway.answer(disconnect, .failed, failure: .permanent, detail: "switch not capable", finding: .noSwitch)
            let item = try await crew.next()
            #expect(item.type == .turnOff && item.meterTechnology == .smartNoSwitch, "the crew is told the meter has no switch")
            #expect(try await client.device(servicePointID: "SP-NS").technology == .smartNoSwitch)
            _ = try await client.completeFieldWork(CompleteFieldWorkRequest(
                activityID: item.activityID, disconnectLocation: .meterSeal, supplyStateAfter: .disconnected, at: .now()))
            let order = try await Self.finish(client, cut, gateway: &gateway, meter: "M-NS")
            #expect(order.status == .completed && order.outcome == .completedField, "\(order.statusDetail)")
            let learned = try events(of: cut, in: store).filter { $0.type == .deviceUpdated }
            #expect(learned.count == 1 && learned[0].detail.contains("no remote switch"), "\(learned.map(\.detail))")

            // A new occupant's start does not try the switch again (a meter with a switch would get
            // a remote connect): a crew turns it on.
            let start = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "NS-2", orderType: .enableService, servicePointID: "SP-NS"))
            let visit = try await crew.next()
            #expect(visit.orderID == start && visit.type == .turnOn && visit.disconnectLocation == .meterSeal)
            let planned = try await client.order(start)
            #expect(!planned.activities.contains { $0.command == .remoteConnect })
        }
    }

    @Test("a status check that finds another supply state than recorded updates the device, with an event")
    func learnedSupplyState() async throws {
        try await withSimulatedServer(simulate: false) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, [ServicePointDevice(
                servicePointID: "SP-ST", meterID: "M-ST", technology: .smartWithSwitch, gatewayID: "GW-S", commissioned: true, supplyState: .connected)])
            var gateway = try await ScriptedGateway(client, gateway: "GW-S")
            let id = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .mdm, sourceRequestID: "ST-1", orderType: .investigate, servicePointID: "SP-ST"))
            let ping = try await gateway.next()
            #expect(ping.type == .statusCheck && ping.meterID == "M-ST")
            try await gateway.answer(ping, .succeeded, observed: .disconnected)
            _ = try await Self.finish(client, id, gateway: &gateway, meter: "M-ST")
            #expect(try await client.device(servicePointID: "SP-ST").supplyState == .disconnected)
            #expect(try events(of: id, in: store).contains { $0.type == .deviceUpdated && $0.detail.contains("recorded as CONNECTED") })
        }
    }

    @Test("another meter found by the head-end, and a meter not commissioned, are learned; the read goes to a crew")
    func learnedMeterFacts() async throws {
        try await withSimulatedServer(simulate: false) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, [
                ServicePointDevice(servicePointID: "SP-MR", meterID: "M-WAS", technology: .smartNoSwitch, gatewayID: "GW-M", commissioned: true, supplyState: .connected),
                ServicePointDevice(servicePointID: "SP-NC", meterID: "M-NC", technology: .smartNoSwitch, gatewayID: "GW-M", commissioned: true, supplyState: .connected),
            ])
            var gateway = try await ScriptedGateway(client, gateway: "GW-M")
            var crew = try await ScriptedCrew(client)
            let replaced = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .mdm, sourceRequestID: "MR-1", orderType: .offCycleRead, servicePointID: "SP-MR"))
            let read = try await gateway.next()
            #expect(read.type == .onDemandRead && read.meterID == "M-WAS")
            try await gateway.answer(read, .failed, failure: .permanent, detail: "meter not at this address", finding: .meterReplaced, foundMeter: "M-IS")
            let device = try await client.device(servicePointID: "SP-MR")
            #expect(device.meterID == "M-IS" && !device.commissioned)
            #expect(try events(of: replaced, in: store).contains { $0.type == .deviceUpdated && $0.detail.contains("M-IS") })
            let visit = try await crew.next()
            #expect(visit.orderID == replaced && visit.type == .read && visit.meterID == "M-IS", "the crew reads the meter that is there")

            let uncommissioned = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .mdm, sourceRequestID: "NC-1", orderType: .offCycleRead, servicePointID: "SP-NC"))
            let second = try await gateway.next()
            #expect(second.meterID == "M-NC")
            try await gateway.answer(second, .failed, failure: .permanent, detail: "meter not commissioned", finding: .notCommissioned)
            #expect(try await !client.device(servicePointID: "SP-NC").commissioned)
            let secondVisit = try await crew.next()
            #expect(secondVisit.orderID == uncommissioned && secondVisit.type == .read)
        }
    }

    @Test("field work goes to the crew pool of the device's region; a crew acknowledges a cancel notice")
    func poolsAndCancelNotice() async throws {
        var rules = BusinessInputs(calendar: DisconnectCalendar(closedWeekdays: [], closedBeforeHolidays: false, openingHour: 0, cutoffHour: 24))
        rules.crewPools = ["NORTH": "RX"]
        try await withSimulatedServer(simulate: false, rules: rules) { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, [
                ServicePointDevice(servicePointID: "SP-N", meterID: "M-N", technology: .manual, supplyState: .connected, region: "NORTH"),
                ServicePointDevice(servicePointID: "SP-S", meterID: "M-S", technology: .manual, supplyState: .connected, region: "SOUTH"),
            ])
            var rx = try await ScriptedCrew(client, pool: "RX")
            var window = TimeWindow(start: Timestamp.now().adding(.seconds(3600)), end: Timestamp.now().adding(.seconds(7200)))
            var request = ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "P-1", orderType: .offCycleRead, servicePointID: "SP-N")
            request.appointmentWindow = window
            request.contact = Contact(name: "A. Customer", phone: "+49 30 1234")
            let north = try await submitOrder(client, request)
            let item = try await rx.next()
            #expect(item.orderID == north && item.pool == "RX" && item.type == .read && item.meterID == "M-N" && item.meterTechnology == .manual)
            #expect(item.contact?.phone == "+49 30 1234" && item.appointmentWindow == window)
            #expect(item.dueAt == window.start && item.expiresAt.map { $0 > window.start! } == true)

            // A crew pulling every pool ("") gets the south work (its own pool, "SOUTH"). It is on a
            // connection of its own, closed once it has the item: a pull of every pool would also
            // take the north item's cancel notice, which this test wants the RX crew to get.
            let anyClient = SOMClient(socketPath: socket)
            var any = try await ScriptedCrew(anyClient, pool: "")
            window = TimeWindow()
            let south = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "P-2", orderType: .offCycleRead, servicePointID: "SP-S"))
            let southItem = try await any.next()
            #expect(southItem.orderID == south && southItem.pool == "SOUTH")
            await anyClient.close()
            let gone = try await eventuallyAsync { (try? await client.stats().connections) == 1 }
            try #require(gone, "the every-pool crew's connection is still open")

            // The north order is cancelled while its item is out: the notice comes, the crew acknowledges it.
            _ = try await client.cancel(CancelOrderRequest(orderID: north, reason: "customer moved", bySource: true))
            let notice = try await rx.next()
            #expect(notice.activityID == item.activityID && notice.cancelRequested)
            #expect(try await client.acknowledgeCancel(AcknowledgeCancelRequest(activityID: item.activityID, remarks: "crew stood down")).applied)
            #expect(try await !client.acknowledgeCancel(AcknowledgeCancelRequest(activityID: item.activityID)).applied, "the notice is over")
            #expect(try await !client.acknowledgeCancel(AcknowledgeCancelRequest(activityID: southItem.activityID)).applied, "no notice for work not cancelled")
            #expect(try await client.order(north).status == .cancelled)
        }
    }

    @Test("a dead SP without a meter: one visit connects at the source and installs; commission and the ping follow")
    func combinedVisit() async throws {
        try await withSimulatedServer(simulate: false) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, [ServicePointDevice(servicePointID: "SP-D", technology: .none, supplyState: .disconnected, disconnectLocation: .source)])
            var crew = try await ScriptedCrew(client)
            var gateway = try await ScriptedGateway(client, gateway: "GW-D")
            var request = ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "D-1", orderType: .enableService, servicePointID: "SP-D")
            request.newMeterID = "M-D"
            let id = try await submitOrder(client, request)
            let visit = try await crew.next()
            #expect(visit.type == .connectAtSource && visit.combinedWith == [.install] && visit.newMeterID == "M-D")
            _ = try await client.completeFieldWork(CompleteFieldWorkRequest(
                activityID: visit.activityID, readings: [Reading(valueMilli: 12, unit: "kWh", readAt: .now(), source: .field, meterID: "M-D")],
                installedMeterID: "M-D", installedTechnology: .smartWithSwitch, installedGatewayID: "GW-D", supplyStateAfter: .connected, at: .now()))
            let commission = try await gateway.next()
            #expect(commission.type == .commission && commission.meterID == "M-D")
            try await gateway.answer(commission, .succeeded)
            let ping = try await gateway.next()
            #expect(ping.type == .statusCheck && ping.meterID == "M-D", "the ping after commissioning is sent")
            try await gateway.answer(ping, .succeeded, observed: .connected)
            let order = try await Self.finish(client, id, gateway: &gateway, meter: "M-D")
            #expect(order.status == .completed, "\(order.statusDetail)")
            #expect(order.activities.filter { $0.fieldActivity != .unspecified }.count == 1, "one visit")
            #expect(order.statusDetail.hasPrefix("completed: connected at the source and installed a meter, commissioned the meter, pinged the meter"), "\(order.statusDetail)")
            Self.expectEveryStatusEventChangesSomething(try events(of: id, in: store))
        }
    }

    @Test("a completion says what was done and read; releasing an order that is held again at once says so")
    func operatorTexts() async throws {
        try await withSimulatedServer(simulate: false) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            try await upsert(client, [
                ServicePointDevice(servicePointID: "SP-C", meterID: "M-C", technology: .smartWithSwitch, gatewayID: "GW-T", commissioned: true,
                                   supplyState: .disconnected, disconnectLocation: .meterSwitch),
                ServicePointDevice(servicePointID: "SP-CC", meterID: "M-CC", technology: .smartWithSwitch, gatewayID: "GW-T", commissioned: true,
                                   supplyState: .connected, criticalCareUntil: Timestamp.now().adding(.seconds(30 * 86_400))),
            ])
            var gateway = try await ScriptedGateway(client, gateway: "GW-T")
            let enable = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "T-1", orderType: .enableService, servicePointID: "SP-C"))
            let connect = try await gateway.next()
            #expect(connect.type == .remoteConnect)
            try await gateway.answer(connect, .succeeded)
            let check = try await gateway.next()
            try await gateway.answer(check, .succeeded, observed: .connected)
            let order = try await Self.finish(client, enable, gateway: &gateway, meter: "M-C")
            #expect(order.statusDetail == "completed: connected remotely, verified by status check, read 123.456 kWh on M-C (on demand)", "\(order.statusDetail)")
            Self.expectEveryStatusEventChangesSomething(try events(of: enable, in: store))

            let cut = try await submitOrder(client, ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "T-2", orderType: .cutForNonPayment, servicePointID: "SP-CC"))
            let held = try await waitForOrder(client, cut) { $0.status == .held }
            #expect(held.holdReason == .criticalCare)
            let response = try await client.releaseHold(ReleaseHoldRequest(orderID: cut, operatorNote: "checked"))
            #expect(response.released == 0 && response.heldAgainCount == 1 && response.heldAgain.map(\.orderID) == [cut], "\(response)")
            #expect(response.heldAgain.first?.holdReason == .criticalCare && response.heldAgain.first?.statusDetail.isEmpty == false)
        }
    }
}
