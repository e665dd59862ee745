import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMServer
import SOMTestSupport
import Testing

extension RolesEndToEndTests {
    /// Head-end adapter uids, each bound to its own gateway.
    static let adapterA: UInt32 = 61401, adapterB: UInt32 = 61402

    static var twoHeadEnds: AccessConfiguration {
        AccessConfiguration(
            policy: AccessPolicy(rules: [AccessRule(name: "head-ends", uids: [adapterA, adapterB], roles: [.gatewayAdapter])], serverUID: 0),
            gateways: [GatewayDefinition(gatewayID: "GW-A", uids: [adapterA]), GatewayDefinition(gatewayID: "GW-B", uids: [adapterB])],
            requireRegisteredGateways: true)
    }

    @Test("an adapter cannot pull, extend or report another gateway's commands, nor use an unknown gateway", .enabled(if: canSwitchUsers))
    func adapterBinding() async throws {
        let directory = try TemporaryDirectory(prefix: "som-binding")
        defer { directory.remove() }
        try await withServer(in: directory, access: Self.twoHeadEnds) { client, _ in
            let socket = directory.appending("som.sock")
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-A", gateway: "GW-A")])
            let orderID = try await adapter.submit("R-A", .offCycleRead, "SP-A")
            _ = try await adapter.order(orderID, until: { $0.status == .inProgress }, "the read is queued for GW-A")

            let stolen = try await somctl(as: Self.adapterB, ["gateways", "pull", "GW-A", "--socket", socket])
            #expect(stolen.status == 1)
            #expect(stolen.stderr.contains("PERMISSION_DENIED: uid 61402 (gid 61402) is not bound to gateway GW-A"), "\(stolen.stderr)")
            let unknown = try await somctl(as: Self.adapterB, ["gateways", "pull", "GW-X", "--socket", socket])
            #expect(unknown.status == 1 && unknown.stderr.contains("PERMISSION_DENIED: gateway GW-X is not registered"), "\(unknown.stderr)")

            let pulled = try await somctl(as: Self.adapterA, ["gateways", "pull", "GW-A", "--wait", "10", "--socket", socket])
            #expect(pulled.status == 0, "\(pulled.stderr)")
            let batch = try CommandBatch(jsonString: pulled.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
            let command = try #require(batch.commands.first)
            #expect(command.orderID == orderID)

            let extendForeign = try await somctl(as: Self.adapterB, ["gateways", "extend", batch.batchID, "--socket", socket])
            #expect(extendForeign.status == 1 && extendForeign.stderr.contains("is not bound to gateway GW-A"), "\(extendForeign.stderr)")
            let extendOwn = try await somctl(as: Self.adapterA, ["gateways", "extend", batch.batchID, "--lease-ms", "60000", "--socket", socket])
            #expect(extendOwn.status == 0 && extendOwn.stdoutText.hasPrefix("\(batch.batchID) leased until "), "\(extendOwn.stderr)")
            let foreign = try await somctl(as: Self.adapterB, ["gateways", "report", "GW-A", "--result", "\(command.commandID)=succeeded", "--socket", socket])
            #expect(foreign.status == 1 && foreign.stderr.contains("is not bound to gateway GW-A"), "\(foreign.stderr)")
            // Under its own gateway id, B's result for A's command is not applied.
            let sneaky = try await somctl(as: Self.adapterB, ["gateways", "report", "GW-B", "--result", "\(command.commandID)=succeeded", "--socket", socket])
            #expect(sneaky.status == 0 && sneaky.stdoutText == "\(command.commandID) not applied\n", "\(sneaky.stdoutText)\(sneaky.stderr)")
            let own = try await somctl(as: Self.adapterA, ["gateways", "report", "GW-A", "--result", "\(command.commandID)=accepted", "--socket", socket])
            #expect(own.status == 0 && own.stdoutText == "\(command.commandID) applied\n", "\(own.stdoutText)\(own.stderr)")
            let registry = try await client.registeredGateways()
            #expect(registry.enforced && registry.gateways.map(\.gatewayID) == ["GW-A", "GW-B"])
        }
    }

    @Test("a submitter cannot submit for another source system, nor cancel as an operator", .enabled(if: canSwitchUsers))
    func submitterScope() async throws {
        let directory = try TemporaryDirectory(prefix: "som-submitter")
        defer { directory.remove() }
        let cis: UInt32 = 61501
        let access = AccessConfiguration(
            policy: AccessPolicy(rules: [AccessRule(name: "cis", uids: [cis], roles: [.submitter, .reader], sources: [.cis])], serverUID: 0),
            gateways: [], requireRegisteredGateways: false)
        try await withServer(in: directory, access: access) { client, _ in
            let socket = directory.appending("som.sock")
            try await ScriptedAdapter(client: client).devices([smartDevice("SP-1")])
            let work = directory.appending("cis")
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
            let file = work + "/run.jsonl"
            try Data("""
                {"sourceSystem":"SOURCE_SYSTEM_CIS","sourceRequestId":"C-1","orderType":"ORDER_TYPE_OFF_CYCLE_READ","servicePointId":"SP-1"}
                {"sourceSystem":"SOURCE_SYSTEM_MDM","sourceRequestId":"M-1","orderType":"ORDER_TYPE_OFF_CYCLE_READ","servicePointId":"SP-1"}

                """.utf8).write(to: URL(fileURLWithPath: file))
            let rejects = work + "/rejects.jsonl"
            let run = try await somctl(as: cis, ["submit", "--file", file, "--rejects", rejects, "--socket", socket])
            #expect(run.status == 2, "\(run.stdoutText)\(run.stderr)")
            let refused = try String(contentsOfFile: rejects, encoding: .utf8)
            #expect(refused.contains("uid 61501 (gid 61501) may submit for [CIS]; not for MDM") && refused.contains("\"line\":2"), "\(refused)")
            #expect(try await client.list(ListOrdersRequest(sourceSystem: .mdm)).orders.isEmpty)
            let order = try #require(try await client.list(ListOrdersRequest(sourceSystem: .cis)).orders.first)

            let asOperator = try await somctl(as: cis, ["cancel", order.orderID, "--socket", socket])
            #expect(asOperator.status == 1 && asOperator.stderr.contains("a cancel by an operator needs operator"), "\(asOperator.stderr)")
            let asSource = try await somctl(as: cis, ["cancel", order.orderID, "--by-source", "--reason", "move-in withdrawn", "--socket", socket])
            #expect(asSource.status == 0, "\(asSource.stderr)")
            #expect(try await client.order(order.orderID).status == .cancelled)
        }
    }

    @Test("a device on an unregistered gateway: its command waits, held with the reason, until the gateway is registered")
    func unknownGatewayHolds() async throws {
        let directory = try TemporaryDirectory(prefix: "som-unknown-gw")
        defer { directory.remove() }
        let access = AccessConfiguration(policy: AccessPolicy(rules: [], serverUID: 0), gateways: [], requireRegisteredGateways: true)
        try await withServer(in: directory, access: access) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([smartDevice("SP-Z", gateway: "GW-Z")])
            let orderID = try await adapter.submit("R-Z", .offCycleRead, "SP-Z")
            let held = try await adapter.order(orderID, until: { $0.status == .held }, "held for the unknown gateway")
            #expect(held.holdReason == .unknownGateway)
            #expect(held.statusDetail.contains("gateway GW-Z is not registered"), "\(held.statusDetail)")
            #expect(held.activities.isEmpty)

            _ = try await client.addGateway(GatewayDefinition(gatewayID: "GW-Z", name: "late head-end"))
            // Registering re-checks the held orders before the call returns.
            let going = try await client.order(orderID)
            #expect(going.status == .inProgress && going.holdReason == .unspecified, "\(going.status) \(going.statusDetail)")
            let batch = try await adapter.pull("GW-Z")
            #expect(batch.commands.map(\.orderID) == [orderID])
        }
    }

    @Test("somd refuses to start with a bad access file: exit status 2 and the reason in its log", .enabled(if: SomdBinary.path != nil))
    func badAccessFile() async throws {
        let binary = try #require(SomdBinary.path)
        let directory = try TemporaryDirectory(prefix: "som-bad-access")
        defer { directory.remove() }
        let file = directory.appending("access.json")
        try Data(#"{"rules": [{"uids": [1003], "roles": ["superuser"]}]}"#.utf8).write(to: URL(fileURLWithPath: file))
        let somd = try SomdProcess.launch(
            binary: binary, socketPath: directory.appending("som.sock"), dataPath: directory.appending("data"),
            logPath: directory.appending("somd.log"), extraArguments: ["--access", file])
        defer { somd.stop() }
        let exit = try await somd.waitForExit()
        #expect(exit == SomdProcess.Exit(signalled: false, status: 2), "\(exit)")
        #expect(somd.logTail().contains(#"rules[0].roles: unknown role "superuser""#), "\(somd.logTail())")
    }
}

extension RolesEndToEndTests {
    @Test("a field adapter pulls and updates only the items of its crew pools", .enabled(if: canSwitchUsers))
    func fieldAdapterPools() async throws {
        let directory = try TemporaryDirectory(prefix: "som-pools")
        defer { directory.remove() }
        let crews: UInt32 = 61701
        let access = AccessConfiguration(
            policy: AccessPolicy(rules: [AccessRule(name: "north-crews", uids: [crews], roles: [.fieldAdapter], pools: ["NORTH"])], serverUID: 0),
            gateways: [], requireRegisteredGateways: false)
        try await withServer(in: directory, access: access) { client, _ in
            let socket = directory.appending("som.sock")
            let adapter = ScriptedAdapter(client: client)
            try await adapter.devices([
                ServicePointDevice(servicePointID: "SP-N", meterID: "M-N", technology: .manual, region: "NORTH"),
                ServicePointDevice(servicePointID: "SP-S", meterID: "M-S", technology: .manual, region: "SOUTH"),
            ])
            let north = try await adapter.submit("R-N", .offCycleRead, "SP-N")
            let south = try await adapter.submit("R-S", .offCycleRead, "SP-S")
            let northActivity = try #require(try await adapter.order(north, until: { $0.status == .inProgress }, "a field read in NORTH").activities.first?.activityID)
            let southActivity = try #require(try await adapter.order(south, until: { $0.status == .inProgress }, "a field read in SOUTH").activities.first?.activityID)

            let other = try await somctl(as: crews, ["fieldwork", "pull", "--pool", "SOUTH", "--socket", socket])
            #expect(other.status == 1 && other.stderr.contains("PERMISSION_DENIED: uid 61701 (gid 61701) may pull crew pools [NORTH]; not SOUTH"), "\(other.stderr)")
            let every = try await somctl(as: crews, ["fieldwork", "pull", "--socket", socket])
            #expect(every.status == 1 && every.stderr.contains("name one"), "\(every.stderr)")
            let own = try await somctl(as: crews, ["fieldwork", "pull", "--pool", "NORTH", "--wait", "10", "--socket", socket])
            let batch = try FieldWorkBatch(jsonString: own.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(batch.items.map(\.activityID) == [northActivity])

            let foreign = try await somctl(as: crews, ["fieldwork", "update", southActivity, "--status", "on-site", "--socket", socket])
            #expect(foreign.status == 1 && foreign.stderr.contains("activity \(southActivity) is in crew pool SOUTH"), "\(foreign.stderr)")
            let mine = try await somctl(as: crews, ["fieldwork", "update", northActivity, "--status", "on-site", "--crew", "CREW-7", "--socket", socket])
            #expect(mine.status == 0 && mine.stdoutText == "\(northActivity) applied\n", "\(mine.stdoutText)\(mine.stderr)")
        }
    }
}

extension RolesEndToEndTests {
    @Test("a registered gateway's in-flight limit applies to its queue at once")
    func registryLimits() async throws {
        let directory = try TemporaryDirectory(prefix: "som-gw-limits")
        defer { directory.remove() }
        try await withServer(in: directory) { client, _ in
            let adapter = ScriptedAdapter(client: client)
            _ = try await client.addGateway(GatewayDefinition(gatewayID: "GW-L", name: "slow head-end", maxInFlight: 1))
            try await adapter.devices((1...3).map { smartDevice("SP-L\($0)", gateway: "GW-L") })
            var orders: [String] = []
            for n in 1...3 { orders.append(try await adapter.submit("R-L\(n)", .offCycleRead, "SP-L\(n)")) }
            for id in orders { _ = try await adapter.order(id, until: { $0.status == .inProgress }, "queued for GW-L") }
            let first = try await adapter.pull("GW-L")
            #expect(first.commands.count == 1, "max_in_flight 1: \(first.commands.map(\.commandID))")
        }
    }
}
