import Foundation
import SOMCodec
import SOMRPC
import SOMServer
import Testing

@Suite("Roles, the method table and the access file", .timeLimit(.minutes(2)))
struct AccessPolicyTests {
    static let serverUID: UInt32 = 999

    func parse(_ json: String) throws(AccessFile.Invalid) -> AccessConfiguration {
        try AccessFile.parse(Data(json.utf8), path: "access.json", serverUID: Self.serverUID)
    }

    func peer(_ uid: UInt32, gid: UInt32? = nil, groups: [UInt32] = []) -> PeerCredentials {
        PeerCredentials(uid: uid, gid: gid ?? uid, pid: 4242, groups: groups)
    }

    /// The issue's definition of each role, written out by hand rather than read from the table.
    static let expected: [(method: String, roles: Set<Role>)] = [
        ("/som.v1.Orders/Submit", [.submitter]), ("/som.v1.Orders/SubmitBatch", [.submitter]),
        ("/som.v1.Orders/Cancel", [.submitter, .operator]),
        ("/som.v1.Orders/Get", [.reader]), ("/som.v1.Orders/List", [.reader]), ("/som.v1.Orders/Watch", [.reader]),
        ("/som.v1.Devices/Get", [.reader]), ("/som.v1.Devices/Upsert", [.operator]),
        ("/som.v1.Admin/Stats", [.reader]), ("/som.v1.Admin/Health", Set(Role.allCases)),
        ("/som.v1.Admin/ListHolds", [.reader, .operator]), ("/som.v1.Admin/ReleaseHold", [.operator]),
        ("/som.v1.Admin/SetMoratorium", [.operator]), ("/som.v1.Admin/ClearMoratorium", [.operator]),
        ("/som.v1.Admin/ListMoratoria", [.reader, .operator]), ("/som.v1.Admin/ListAudit", [.reader, .operator]),
        ("/som.v1.Admin/Backup", []), ("/som.v1.Admin/Archive", []),
        ("/som.v1.Gateways/PullCommands", [.gatewayAdapter]), ("/som.v1.Gateways/ReportResults", [.gatewayAdapter]),
        ("/som.v1.Gateways/ExtendLease", [.gatewayAdapter]), ("/som.v1.Gateways/List", [.reader, .operator]),
        ("/som.v1.Gateways/Add", []), ("/som.v1.Gateways/Set", []), ("/som.v1.Gateways/Remove", []),
        ("/som.v1.Gateways/ListRegistered", [.reader, .operator, .gatewayAdapter]),
        ("/som.v1.FieldWork/Pull", [.fieldAdapter]), ("/som.v1.FieldWork/Update", [.fieldAdapter]),
        ("/som.v1.FieldWork/Complete", [.fieldAdapter]), ("/som.v1.FieldWork/NotDone", [.fieldAdapter]),
        ("/som.v1.FieldWork/AcknowledgeCancel", [.fieldAdapter]), ("/som.v1.FieldWork/Stats", [.reader, .fieldAdapter]),
    ]

    @Test("each role may call exactly the methods the issue gives it; admin everything; an unknown method only admin")
    func methodTable() {
        for (method, roles) in Self.expected {
            for role in Role.allCases {
                let allowed = role == .admin || roles.contains(role)
                #expect(MethodRoles.allows([role], method) == allowed, "\(role) on \(method)")
            }
        }
        #expect(MethodRoles.allows([.admin], "/som.v1.Future/Thing"))
        #expect(!MethodRoles.allows(Set(Role.allCases).subtracting([.admin]), "/som.v1.Future/Thing"))
        #expect(!MethodRoles.allows([], "/som.v1.Admin/Health"))
    }

    @Test("without an access file everyone is admin; with one, root and somd's uid stay admin and others get their rules")
    func defaults() throws {
        let open = AccessPolicy.unconfigured(serverUID: Self.serverUID)
        #expect(open.refusal(peer(1003), "/som.v1.Admin/ReleaseHold") == nil)
        let policy = try parse(#"{"rules": [{"uids": [1003], "roles": ["reader"]}]}"#).policy
        #expect(policy.refusal(peer(0), "/som.v1.Gateways/Add") == nil)
        #expect(policy.refusal(peer(Self.serverUID), "/som.v1.Gateways/Add") == nil)
        #expect(policy.refusal(peer(1003), "/som.v1.Orders/Get") == nil)
        #expect(policy.refusal(peer(1003), "/som.v1.Admin/ReleaseHold")
            == "uid 1003 (gid 1003) has roles [reader]; /som.v1.Admin/ReleaseHold needs operator")
        #expect(policy.refusal(peer(1004), "/som.v1.Orders/Cancel")
            == "uid 1004 (gid 1004) has no roles; /som.v1.Orders/Cancel needs submitter or operator")
        #expect(policy.refusal(peer(1003), "/som.v1.Gateways/Add") == "uid 1003 (gid 1003) has roles [reader]; /som.v1.Gateways/Add needs admin")
    }

    @Test("roles come from the uid and from the primary and supplementary groups; scopes add up")
    func groupsAndScopes() throws {
        let policy = try parse("""
            {"rules": [{"name": "operators", "gids": [2000], "roles": ["operator"]},
                       {"name": "cis", "uids": [1101], "roles": ["submitter", "reader"], "sources": ["CIS"]},
                       {"name": "cis-mdm", "gids": [2100], "roles": ["submitter"], "sources": ["SOURCE_SYSTEM_MDM"]},
                       {"name": "crews", "uids": [1301], "roles": ["field-adapter"], "pools": ["NORTH"]}]}
            """).policy
        #expect(policy.grant(for: peer(1500, gid: 2000)).roles == [.operator])
        #expect(policy.grant(for: peer(1500, gid: 1500, groups: [1500, 2000])).roles == [.operator])
        #expect(policy.refusal(peer(1500, gid: 1500, groups: [2000]), "/som.v1.Admin/ReleaseHold") == nil)
        #expect(policy.grant(for: peer(1500)).roles.isEmpty)
        #expect(policy.grant(for: peer(1101)).sources == [.cis])
        #expect(policy.grant(for: peer(1101, gid: 1101, groups: [2100])).sources == [.cis, .mdm])
        #expect(throws: AccessDenied.self) { try policy.checkSubmit(peer(1101), source: .mdm) }
        #expect(policy.submitRefusal(peer(1101), source: .mdm) == "uid 1101 (gid 1101) may submit for [CIS]; not for MDM")
        #expect(policy.submitRefusal(peer(1101), source: .cis) == nil)
        #expect(policy.submitRefusal(peer(0), source: .mdm) == nil)
        // A submitter cancels only as the source, only its own systems' orders; an operator anything.
        #expect(throws: AccessDenied.self) { try policy.checkCancel(peer(1101), orderID: "O1", orderSource: .cis, bySource: false) }
        #expect(throws: AccessDenied.self) { try policy.checkCancel(peer(1101), orderID: "O1", orderSource: .mdm, bySource: true) }
        try policy.checkCancel(peer(1101), orderID: "O1", orderSource: .cis, bySource: true)
        try policy.checkCancel(peer(1500, gid: 2000), orderID: "O1", orderSource: .mdm, bySource: false)
        try policy.checkPool(peer(1301), pool: "NORTH")
        #expect(throws: AccessDenied.self) { try policy.checkPool(peer(1301), pool: "SOUTH") }
        #expect(throws: AccessDenied.self) { try policy.checkPool(peer(1301), pool: "") }
        #expect(policy.describeMapping().contains { $0.contains("rule cis: uids [1101]") && $0.contains("sources [CIS]") })
    }

    @Test("gateways and the registry switch are read from the access file")
    func gateways() throws {
        let configuration = try parse("""
            {"gateways": [{"id": "GW-N", "name": "North", "uids": [1201], "gids": [1200], "commandsPerSecond": 50, "maxInFlight": 500}]}
            """)
        #expect(configuration.gateways == [GatewayDefinition(gatewayID: "GW-N", name: "North", uids: [1201], gids: [1200], commandsPerSecond: 50, maxInFlight: 500)])
        #expect(configuration.requireRegisteredGateways)
        #expect(try !parse(#"{"requireRegisteredGateways": false}"#).requireRegisteredGateways)
        #expect(!AccessConfiguration.unconfigured(serverUID: 1).requireRegisteredGateways)
    }

    @Test("a bad access file is refused with a message naming the file, the field and the fault", arguments: [
        (#"{"rules": [{"uids": [1], "roles": ["superuser"]}]}"#, #"access.json: rules[0].roles: unknown role "superuser""#),
        (#"{"rules": [{"uids": [1], "role": ["reader"]}]}"#, #"access.json: rules[0]: unknown key "role""#),
        (#"{"rules": [{"roles": ["reader"]}]}"#, "access.json: rules[0]: names no uids and no gids"),
        (#"{"rules": [{"uids": [1]}]}"#, "access.json: rules[0].roles: is required"),
        (#"{"rules": [{"uids": ["cis"], "roles": ["reader"]}]}"#, "access.json: rules[0].uids: "),
        (#"{"rules": [{"uids": [-1], "roles": ["reader"]}]}"#, "access.json: rules[0].uids: "),
        (#"{"rules": [{"uids": [1], "roles": ["reader"], "sources": ["CIS"]}]}"#, "rules[0].sources: only applies to the submitter role"),
        (#"{"rules": [{"uids": [1], "roles": ["submitter"], "sources": ["BILLING"]}]}"#, #"unknown source system "BILLING""#),
        (#"{"rules": [{"uids": [1], "roles": ["reader"], "pools": ["N"]}]}"#, "rules[0].pools: only applies to the field-adapter role"),
        (#"{"gateways": [{"name": "x"}]}"#, "access.json: gateways[0].id: is required"),
        (#"{"gateways": [{"id": "G"}, {"id": "G"}]}"#, "gateways[1].id: G is defined twice"),
        (#"{"gateways": [{"id": "G", "commandsPerSecond": -1}]}"#, "gateways[0]: commands_per_second"),
        (#"{"requireRegisteredGateways": "yes"}"#, "requireRegisteredGateways must be true or false"),
        (#"{"rulez": []}"#, #"unknown key "rulez""#),
        (#"{"rules": [}"#, "access.json is not valid JSON"),
    ])
    func badFile(json: String, message: String) {
        do {
            _ = try parse(json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
