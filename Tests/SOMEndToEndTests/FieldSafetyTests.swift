import Logging
import SOMClient
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMScheduler
import SOMStore
import SOMTestSupport
import SOMTransport
import Testing

/// Issue 10: each physical effect right and exactly once across cancels, late reports, lease
/// expiries and restarts, over the socket with a scripted adapter whose every answer is fixed.
@Suite("Field safety over the socket", .serialized, .timeLimit(.minutes(1)))
struct FieldSafetyTests {
    /// The compensation of `orderID`: the reconnect for payment linked to it.
    func compensation(of orderID: String, _ adapter: ScriptedAdapter, servicePoint: String) async throws -> Order? {
        try await adapter.orders(on: servicePoint).first { $0.request?.orderType == .reconnectForPayment && $0.relatedOrderID == orderID }
    }

    @Test("item 2: a crew's COMPLETE after the cancel is taken in, and a reconnect compensates the cut")
    func lateCrewCompletionAfterCancel() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        try await withServer(in: directory) { client, store in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([ServicePointDevice(servicePointID: "SP-L", meterID: "M-L", technology: .manual, supplyState: .connected)])
            let cut = try await adapter.submit("L-1", .cutForNonPayment, "SP-L")
            let item = try #require(try await adapter.pullField().first)
            #expect(item.orderID == cut && item.type == .turnOff)
            let cancelled = try await client.cancel(CancelOrderRequest(orderID: cut, reason: "paid", bySource: true))
            #expect(cancelled.status == .cancelled)
            // The crew had already cut; its report comes in after the cancel.
            let reply = try await client.completeFieldWork(CompleteFieldWorkRequest(
                activityID: item.activityID, readings: [Reading(valueMilli: 1_234_500, unit: "kWh", readAt: .now())], remarks: "sealed",
                disconnectLocation: .meterSeal, supplyStateAfter: .disconnected))
            #expect(!reply.applied, "the queue had cancelled it; the order still takes it in")
            let order = try await adapter.order(cut, until: { $0.activities.first?.status == .succeeded }, "the late completion is recorded")
            #expect(order.status == .cancelled)
            let device = try await client.device(servicePointID: "SP-L")
            #expect(device.supplyState == .disconnected && device.disconnectLocation == .meterSeal)
            #expect(device.lastReading?.valueMilli == 1_234_500)
            let reconnect = try #require(try await compensation(of: cut, adapter, servicePoint: "SP-L"), "a reconnect compensates the cut")
            #expect(!reconnect.status.isTerminal || reconnect.status == .completed)
            #expect(reconnect.request?.notes.contains(cut) == true)
            let events = try events(of: cut, in: store)
            #expect(events.contains { $0.detail.contains("the cut executed after the order was cancelled") }, "\(events.map(\.detail))")
            // The compensation sends a crew to reconnect where the cut was made.
            let reconnectItem = try #require(try await adapter.pullField().first { $0.orderID == reconnect.orderID })
            #expect(reconnectItem.type == .reconnect || reconnectItem.type == .turnOn)
        }
    }

    @Test("item 2: a remote disconnect's SUCCEEDED after the cancel is taken in and compensated")
    func lateRemoteResultAfterCancel() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-R")])
            let cut = try await adapter.submit("R-1", .cutForNonPayment, "SP-R")
            let batch = try await adapter.pull("GW-01")
            let disconnect = try #require(batch.commands.first)
            #expect(disconnect.type == .remoteDisconnect && disconnect.orderID == cut)
            _ = try await client.cancel(CancelOrderRequest(orderID: cut, reason: "recalled by the CIS", bySource: true))
            let applied = try await adapter.report("GW-01", disconnect.commandID, .succeeded, observed: .disconnected)
            #expect(!applied)
            let order = try await adapter.order(cut, until: { $0.activities.first?.status == .succeeded }, "the late result is recorded")
            #expect(order.status == .cancelled)
            #expect(try await client.device(servicePointID: "SP-R").supplyState == .disconnected)
            let reconnect = try await compensation(of: cut, adapter, servicePoint: "SP-R")
            #expect(reconnect != nil, "a reconnect compensates the cut")
            // The reconnect goes out to the gateway.
            let next = try await adapter.pull("GW-01")
            #expect(next.commands.map(\.type) == [.remoteConnect] && next.commands.first?.orderID == reconnect?.orderID)
        }
    }

    @Test("item 3: cancels_source_request_id cancels the named order and records the request; unknown and ended targets are refused")
    func cancellingRequest() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-C"), smartDevice("SP-D")])
            let cut = try await adapter.submit("C-1", .cutForNonPayment, "SP-C")
            var cancel = ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "C-2", orderType: .cutForNonPayment, servicePointID: "SP-C")
            cancel.cancelsSourceRequestID = "C-1"
            let response = try await client.submit(cancel)
            #expect(response.order?.orderID == cut && response.order?.status == .cancelled && !response.duplicate)
            #expect(response.order?.statusDetail.contains("source request C-2") == true, "\(response.order?.statusDetail ?? "")")
            #expect(try await adapter.orders(on: "SP-C").map(\.orderID) == [cut], "no new order")
            // The cut never went out: its queued command was taken back.
            #expect(try await client.gateways().gateways.first { $0.gatewayID == "GW-01" }?.queued ?? 0 == 0)
            let retry = try await client.submit(cancel)
            #expect(retry.duplicate && retry.order?.orderID == cut)

            var unknown = cancel
            unknown.sourceRequestID = "C-3"
            unknown.cancelsSourceRequestID = "C-404"
            let notFound = await #expect(throws: RPCError.self) { _ = try await client.submit(unknown) }
            #expect(notFound?.code == .notFound && notFound?.details["field"] == "request.cancels_source_request_id")
            var late = cancel
            late.sourceRequestID = "C-4"
            let ended = await #expect(throws: RPCError.self) { _ = try await client.submit(late) }
            #expect(ended?.code == .failedPrecondition && ended?.details["field"] == "request.cancels_source_request_id")
            #expect(try await adapter.orders(on: "SP-C").count == 1)

            // In a billing run's stream: a cancel of an order of the same chunk, and an unknown target.
            let batch = try await client.submitBatch()
            var inBatch = ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "D-2", orderType: .cutForNonPayment, servicePointID: "SP-D")
            inBatch.cancelsSourceRequestID = "D-1"
            var missing = inBatch
            missing.sourceRequestID = "D-3"
            missing.cancelsSourceRequestID = "D-404"
            try await batch.send(SubmitBatchChunk(chunkID: 1, requests: [
                ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "D-1", orderType: .cutForNonPayment, servicePointID: "SP-D"),
                inBatch, missing,
            ]))
            batch.finishSending()
            var items: [SubmitBatchItemResult] = []
            for try await result in batch.responses { items += result.items }
            #expect(items.map(\.disposition) == [.accepted, .accepted, .rejected])
            #expect(items[1].orderID == items[0].orderID)
            #expect(items[2].code == RPCStatus.Code.notFound.rawValue && items[2].field == "requests[2].cancels_source_request_id")
            #expect(try await client.order(items[0].orderID).status == .cancelled)
        }
    }

    @Test("item 4: the mass-disconnect guardrail counts cuts queued before a restart")
    func guardrailSurvivesRestart() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        var policy = OrchestrationPolicy.standard
        policy.guardrail.perGateway = 2
        try await withServer(in: directory, policy: policy) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices((1...3).map { smartDevice("SP-G\($0)") })
            for n in 1...2 {
                let id = try await adapter.submit("G-\(n)", .cutForNonPayment, "SP-G\(n)")
                _ = try await adapter.order(id, until: { $0.status == .inProgress }, "cut \(n) goes out")
            }
        }
        // A crash in the middle of a bad billing run: the window must still hold the two cuts.
        try await withServer(in: directory, policy: policy) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            let third = try await adapter.submit("G-3", .cutForNonPayment, "SP-G3")
            let order = try await adapter.order(third, until: { $0.status == .held }, "the third cut is quarantined")
            #expect(order.holdReason == .massDisconnectGuardrail)
        }
    }

    @Test("item 5: a disconnect whose lease expires is verified by a status check first, and resent only if it did not happen")
    func expiredSwitchingLeaseIsVerified() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-V"), smartDevice("SP-W", gateway: "GW-02")])
            // Did not happen: check, then the disconnect again under a new attempt id.
            let first = try await adapter.submit("V-1", .cutForNonPayment, "SP-V")
            let sent = try #require(try await adapter.pull("GW-01", leaseMs: 200).commands.first)
            #expect(sent.type == .remoteDisconnect)
            let check = try await adapter.pull("GW-01")
            #expect(check.commands.map(\.type) == [.statusCheck], "the next thing sent is a status check, not the disconnect")
            try await adapter.report("GW-01", check.commands[0].commandID, .succeeded, observed: .connected)
            let again = try await adapter.pull("GW-01")
            #expect(again.commands.map(\.type) == [.remoteDisconnect])
            #expect(again.commands.first?.commandID == sent.commandID + "#2")
            _ = first

            // Did happen: the check says so, and nothing is sent again.
            let second = try await adapter.submit("W-1", .cutForNonPayment, "SP-W")
            let cutW = try #require(try await adapter.pull("GW-02", leaseMs: 200).commands.first)
            let checkW = try await adapter.pull("GW-02")
            #expect(checkW.commands.map(\.type) == [.statusCheck])
            try await adapter.report("GW-02", checkW.commands[0].commandID, .succeeded, observed: .disconnected)
            let order = try await adapter.order(second, until: { order in
                order.activities.first { $0.activityID == cutW.commandID }?.status == .succeeded
            }, "the check confirms the cut")
            let disconnect = try #require(order.activities.first { $0.activityID == cutW.commandID })
            #expect(disconnect.attempts.count == 1, "sent once")
        }
    }

    @Test("item 5: a read whose lease expires is delivered again as it is")
    func expiredReadIsRedelivered() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-O")])
            _ = try await adapter.submit("O-1", .offCycleRead, "SP-O")
            let read = try #require(try await adapter.pull("GW-01", leaseMs: 200).commands.first)
            #expect(read.type == .onDemandRead)
            let again = try #require(try await adapter.pull("GW-01").commands.first)
            // The same command again, as a later delivery (a loaded machine may expire one more lease).
            #expect(again.commandID == read.commandID && again.attempt > read.attempt)
        }
    }

    @Test("item 5: a disconnect out with the gateway when the server restarts is verified, not resent")
    func switchingCommandOutAtRestartIsVerified() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-X")])
            _ = try await adapter.submit("X-1", .cutForNonPayment, "SP-X")
            #expect(try await adapter.pull("GW-01").commands.map(\.type) == [.remoteDisconnect])
        }
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            let batch = try await adapter.pull("GW-01")
            #expect(batch.commands.map(\.type) == [.statusCheck])
        }
    }

    @Test("item 7: a reconnect whose deadline nears goes out at EMERGENCY priority")
    func escalationReachesTheQueue() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        var policy = OrchestrationPolicy.standard
        // Escalate four seconds after intake (the deadline is 24 h after it): time enough, even on a
        // loaded machine, for the first evaluation to queue the connect at its normal priority.
        policy.reconnectEscalationLead = OrderIntake.reconnectDeadline - .seconds(4)
        try await withServer(in: directory, policy: policy) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-E", supply: .disconnected)])
            let reconnect = try await adapter.submit("E-1", .reconnectForPayment, "SP-E")
            let queued = try await adapter.order(reconnect, until: { $0.activities.contains { $0.command == .remoteConnect } }, "connect queued")
            #expect(queued.activities.first { $0.command == .remoteConnect }?.priority == .reconnect)
            _ = try await adapter.order(reconnect, until: { $0.effectivePriority == .emergency }, "escalated")
            let command = try #require(try await adapter.pull("GW-01").commands.first)
            #expect(command.type == .remoteConnect && command.priority == .emergency)
        }
    }

    @Test("item 12: after a restart, an order waiting for a finished order on its service point goes ahead at once")
    func lostWakeUpAfterRestart() async throws {
        let directory = try TemporaryDirectory(prefix: "som-safety")
        defer { directory.remove() }
        let ids = LockedBox<(cut: String, reconnect: String)>(("", ""))
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-Z")])
            let cut = try await adapter.submit("Z-1", .cutForNonPayment, "SP-Z")
            #expect(try await adapter.pull("GW-01").commands.map(\.type) == [.remoteDisconnect])
            let reconnect = try await adapter.submit("Z-2", .reconnectForPayment, "SP-Z")
            _ = try await adapter.order(reconnect, until: { $0.subStatus == .awaitingOtherOrder }, "the reconnect waits for the cut in flight")
            ids.value = (cut, reconnect)
        }
        // The crash window: the cut's final step committed, the wake-up of the reconnect was lost.
        do {
            let store = try OrderStore(directory: directory.appending("data"), logger: .init(label: "edit"))
            defer { store.close() }
            _ = try await store.update(orderID: ids.value.cut) { order, now throws(StoreError) in
                order.status = .completed
                order.outcome = .completedRemote
                order.completedAt = now
                for i in order.activities.indices { order.activities[i].status = .succeeded }
                return [OrderEvent(type: .completed, detail: "cut executed")]
            }
            _ = try await store.upsertDevices([smartDevice("SP-Z", supply: .disconnected)])
        }
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            // Well before the 15-minute re-check: the start looks at it again.
            let order = try await adapter.order(ids.value.reconnect, until: { $0.status == .inProgress }, "the reconnect goes ahead")
            #expect(order.activities.contains { $0.command == .remoteConnect })
        }
    }
}

