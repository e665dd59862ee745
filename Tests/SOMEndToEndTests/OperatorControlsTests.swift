import SOMClient
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMStore
import SOMTransport
import Testing

@Suite("Operator controls over the socket: guardrail, moratoria, holds", .timeLimit(.minutes(5)))
struct OperatorControlsTests {
    /// Polls until `condition` holds for the orders, within 20 s.
    func orders(_ client: SOMClient, _ ids: [String], until condition: ([Order]) -> Bool) async throws -> [Order] {
        let deadline = ContinuousClock.now + .seconds(20)
        var orders: [Order] = []
        while ContinuousClock.now < deadline {
            orders = []
            for id in ids { orders.append(try await client.order(id)) }
            if condition(orders) { return orders }
            try await Task.sleep(for: .milliseconds(20))
        }
        return orders
    }

    func cuts(_ client: SOMClient, servicePoints: [String], tag: String) async throws -> [String] {
        var ids: [String] = []
        for sp in servicePoints {
            let response = try await client.submit(ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "\(tag)-\(sp)", orderType: .cutForNonPayment, servicePointID: sp))
            ids.append(try #require(response.order).orderID)
        }
        return ids
    }

    @Test("cuts beyond the per-gateway guardrail are held until an operator releases them")
    func guardrail() async throws {
        var policy = OrchestrationPolicy.standard
        policy.guardrail.perGateway = 2
        try await withSimulatedServer(simulate: false, policy: policy) { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let points = (1...5).map { "SP-G\($0)" }
            let upsert = try await client.upsertDevices()
            try await upsert.send(UpsertDevicesChunk(chunkID: 1, devices: points.map {
                ServicePointDevice(servicePointID: $0, meterID: "M-\($0)", technology: .smartWithSwitch, gatewayID: "GW-01", commissioned: true, supplyState: .connected)
            }))
            upsert.finishSending()
            for try await _ in upsert.responses {}
            let ids = try await cuts(client, servicePoints: points, tag: "G")
            let settled = try await orders(client, ids) { $0.allSatisfy { $0.status == .inProgress || $0.status == .held } }
            let held = settled.filter { $0.status == .held }
            #expect(held.count == 3, "\(settled.map { "\($0.status) \($0.statusDetail)" })")
            #expect(held.allSatisfy { $0.holdReason == .massDisconnectGuardrail && !$0.statusDetail.isEmpty })
            let listed = try await client.holds(ListHoldsRequest(reason: .massDisconnectGuardrail))
            #expect(Set(listed.orders.map(\.orderID)) == Set(held.map(\.orderID)))

            let released = try await client.releaseHold(ReleaseHoldRequest(reason: .massDisconnectGuardrail, operatorNote: "run checked")).released
            #expect(released == 3)
            let after = try await orders(client, held.map(\.orderID)) { $0.allSatisfy { $0.status == .inProgress } }
            #expect(after.allSatisfy { $0.status == .inProgress }, "\(after.map { "\($0.status) \($0.statusDetail)" })")
            let queued = try await client.gateways().gateways.first { $0.gatewayID == "GW-01" }
            #expect(queued?.queued == 5)

            let notHeld = await #expect(throws: RPCError.self) { _ = try await client.releaseHold(ReleaseHoldRequest(orderID: ids[0])) }
            #expect(notHeld?.code == .failedPrecondition)
            // Upsert, 5 submits, the polling Gets, holds, release, gateways, the refused release, this Stats.
            #expect(try await client.stats().callsTotal >= 11)
        }
    }

    @Test("a moratorium holds cuts in its region; clearing it lets them go at once")
    func moratorium() async throws {
        try await withSimulatedServer(simulate: false) { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let upsert = try await client.upsertDevices()
            try await upsert.send(UpsertDevicesChunk(chunkID: 1, devices: [
                ServicePointDevice(servicePointID: "SP-N", meterID: "M-N", technology: .smartWithSwitch, gatewayID: "GW-02", commissioned: true, supplyState: .connected, region: "NORTH"),
                ServicePointDevice(servicePointID: "SP-S", meterID: "M-S", technology: .smartWithSwitch, gatewayID: "GW-02", commissioned: true, supplyState: .connected, region: "SOUTH"),
            ]))
            upsert.finishSending()
            for try await _ in upsert.responses {}
            let now = Timestamp.now()
            let set = try await client.setMoratorium(Moratorium(region: "NORTH", startsAt: now.adding(.seconds(-60)), endsAt: now.adding(.seconds(86_400)), description: "cold snap"))
            #expect(!set.moratoriumID.isEmpty)
            #expect(try await client.moratoria().map(\.moratoriumID) == [set.moratoriumID])
            let ids = try await cuts(client, servicePoints: ["SP-N", "SP-S"], tag: "M")
            let settled = try await orders(client, ids) { $0[0].status == .held && $0[1].status == .inProgress }
            #expect(settled[0].status == .held && settled[0].holdReason == .moratorium, "\(settled[0].status) \(settled[0].statusDetail)")
            #expect(settled[1].status == .inProgress)

            try await client.clearMoratorium(set.moratoriumID)
            #expect(try await client.moratoria().isEmpty)
            let released = try await orders(client, [ids[0]]) { $0[0].status == .inProgress }
            #expect(released[0].status == .inProgress, "\(released[0].status) \(released[0].statusDetail)")

            let bad = await #expect(throws: RPCError.self) {
                _ = try await client.setMoratorium(Moratorium(region: "X", startsAt: now, endsAt: now.adding(.seconds(-5))))
            }
            #expect(bad?.code == .invalidArgument && bad?.details["field"] == "moratorium.ends_at")
        }
    }
}
