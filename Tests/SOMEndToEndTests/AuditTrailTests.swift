import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMServer
import SOMTestSupport
import Testing

extension RolesEndToEndTests {
    static let operatorUID: UInt32 = 61601

    static var operators: AccessConfiguration {
        AccessConfiguration(
            policy: AccessPolicy(rules: [AccessRule(name: "operators", uids: [operatorUID], roles: [.operator, .reader])], serverUID: 0),
            gateways: [], requireRegisteredGateways: false)
    }

    @Test("every operator action leaves an audit entry with the caller's uid, gid and pid, and the trail survives a restart",
          .enabled(if: canSwitchUsers))
    func auditTrail() async throws {
        let directory = try TemporaryDirectory(prefix: "som-audit")
        defer { directory.remove() }
        let socket = directory.appending("som.sock")
        let orderID = LockedBox("")
        try await withServer(in: directory, access: Self.operators) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-1"), smartDevice("SP-2")])
            let now = Timestamp.now()
            _ = try await client.setMoratorium(Moratorium(
                moratoriumID: "MOR-HEAT", reason: .moratorium, startsAt: now.adding(.seconds(-3600)), endsAt: now.adding(.seconds(3600)),
                description: "heat wave"))
            let cut = try await adapter.submit("CUT-1", .cutForNonPayment, "SP-1")
            orderID.value = cut
            _ = try await adapter.order(cut, until: { $0.status == .held }, "the cut waits for the moratorium")
            // The operator's actions come from another uid, through somctl.
            let release = try await somctl(as: Self.operatorUID, ["release", cut, "--note", "regulator approved", "--socket", socket])
            #expect(release.status == 0, "\(release.stderr)")
            try await client.clearMoratorium("MOR-HEAT")
            let cancel = try await somctl(as: Self.operatorUID, ["cancel", cut, "--reason", "customer paid at the counter", "--socket", socket])
            #expect(cancel.status == 0, "\(cancel.stderr)")
            _ = try await client.addGateway(GatewayDefinition(gatewayID: "GW-NEW", name: "new head-end", uids: [61402]), note: "commissioning")
            _ = try await client.setGateway(GatewayDefinition(gatewayID: "GW-NEW", name: "new head-end", uids: [61402], maxInFlight: 50))
            try await client.removeGateway("GW-NEW", note: "wrong site")
        }
        // A restart: the trail is read back from the store.
        try await withServer(in: directory, access: Self.operators) { client, _ in
            let entries = try await client.allAudit(ListAuditRequest())
            #expect(entries.map(\.action) == [
                .upsertDevices, .setMoratorium, .releaseHold, .clearMoratorium, .cancelOrder, .addGateway, .setGateway, .removeGateway,
            ])
            #expect(entries.map(\.sequence) == Array(1...UInt64(entries.count)))
            #expect(entries.allSatisfy { $0.at != nil && $0.pid > 0 })
            let me = UInt32(getuid())
            #expect(entries.map(\.uid) == [me, me, Self.operatorUID, me, Self.operatorUID, me, me, me])
            #expect(entries.filter { $0.uid == Self.operatorUID }.allSatisfy { $0.gid == Self.operatorUID && $0.pid != getpid() })
            #expect(entries.filter { $0.uid == me }.allSatisfy { $0.pid == getpid() })
            let cut = orderID.value
            #expect(entries[0].target == "SP-1" && entries[0].note.hasPrefix("2 service point(s)"))
            #expect(entries[1].target == "MOR-HEAT" && entries[1].note.contains("heat wave"))
            #expect(entries[2].target == cut && entries[2].note == "regulator approved")
            #expect(entries[3].target == "MOR-HEAT")
            #expect(entries[4].target == cut && entries[4].note == "customer paid at the counter")
            #expect(entries[5].target == "GW-NEW" && entries[5].note.hasPrefix("commissioning; name=new head-end uids=[61402]"))
            #expect(entries[7].target == "GW-NEW" && entries[7].note == "wrong site")

            // By order, and in `somctl show`.
            let forOrder = try await client.allAudit(ListAuditRequest(target: cut))
            #expect(forOrder.map(\.action) == [.releaseHold, .cancelOrder])
            let show = try await ProcessRunner.runOnThread(somctlPath, ["show", cut, "--socket", directory.appending("som.sock")])
            #expect(show.status == 0 && show.stdoutText.contains("audit:"), "\(show.stdoutText)\(show.stderr)")
            #expect(show.stdoutText.contains("uid=\(Self.operatorUID) gid=\(Self.operatorUID)") && show.stdoutText.contains("RELEASE_HOLD"))
            let listed = try await ProcessRunner.runOnThread(somctlPath, ["audit", "--json", "--socket", directory.appending("som.sock")])
            #expect(listed.stdoutText.split(separator: "\n").count == entries.count, "\(listed.stdoutText)\(listed.stderr)")
            // Paging and the time filter.
            let page = try await client.audit(ListAuditRequest(pageSize: 3))
            #expect(page.entries.count == 3 && page.nextPageToken == "3")
            let later = try await client.audit(ListAuditRequest(since: entries[7].at))
            #expect(later.entries.map(\.sequence).contains(8))
        }
    }
}
