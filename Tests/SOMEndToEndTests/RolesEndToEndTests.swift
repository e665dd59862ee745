import Foundation
import Logging
import SOMClient
import SOMCodec
import SOMRPC
import SOMServer
import SOMStore
import SOMTestSupport
import SOMTransport
import Testing

/// Runs somctl as another user (setpriv): the server sees that uid, gid and groups over SO_PEERCRED.
func somctl(as uid: UInt32, gid: UInt32? = nil, groups: [UInt32] = [], _ arguments: [String]) async throws -> ProcessOutput {
    let setpriv = try #require(ProcessRunner.which("setpriv"))
    let groupArgument = groups.isEmpty ? "--clear-groups" : "--groups=\(groups.map(String.init).joined(separator: ","))"
    return try await ProcessRunner.runOnThread(setpriv, ["--reuid=\(uid)", "--regid=\(gid ?? uid)", groupArgument, somctlPath] + arguments)
}

/// Tests that switch to other uids need root, setpriv and the built somctl.
let canSwitchUsers = getuid() == 0 && ProcessRunner.which("setpriv") != nil && FileManager.default.isExecutableFile(atPath: somctlPath)

@Suite("Roles, gateway bindings and the audit trail over the socket, as real second uids", .serialized, .timeLimit(.minutes(5)))
struct RolesEndToEndTests {
    /// One uid per role, and one with none.
    static let uids: [Role?: UInt32] = [
        nil: 61000, .submitter: 61001, .reader: 61002, .operator: 61003, .gatewayAdapter: 61004, .fieldAdapter: 61005, .admin: 61006,
    ]

    static var oneUIDPerRole: AccessConfiguration {
        let rules = Role.allCases.map { AccessRule(name: $0.rawValue, uids: [uids[$0]!], roles: [$0]) }
        return AccessConfiguration(policy: AccessPolicy(rules: rules, serverUID: UInt32(getuid())), gateways: [], requireRegisteredGateways: false)
    }

    @Test("every method the server answers has its roles in the table (or is admin only on purpose)")
    func everyMethodHasRoles() throws {
        try withTemporaryDirectorySync { directory in
            let store = try OrderStore(directory: directory.appending("data"), logger: Logger(label: "roles"))
            defer { store.close() }
            let server = try SOMServer(configuration: ServerConfiguration(socketPath: directory.appending("som.sock")), store: store, logger: Logger(label: "roles"))
            let adminOnly: Set<String> = ["/som.v1.Admin/Backup", "/som.v1.Admin/Archive", "/som.v1.Gateways/Add", "/som.v1.Gateways/Set", "/som.v1.Gateways/Remove"]
            for method in server.methods {
                #expect(MethodRoles.table[method] != nil || adminOnly.contains(method), "\(method) has no entry in MethodRoles.table")
            }
            #expect(Set(MethodRoles.table.keys).isSubset(of: Set(server.methods)), "the table names methods the server does not have")
        }
    }

    @Test("each role can call what it should and nothing else: every method × every role, refused before any handler", .enabled(if: canSwitchUsers))
    func methodByRole() async throws {
        let directory = try TemporaryDirectory(prefix: "som-roles")
        defer { directory.remove() }
        try await withServer(in: directory, access: Self.oneUIDPerRole) { _, _ in
            let socket = directory.appending("som.sock")
            let methods = AccessPolicyTests.expected.map(\.method) + ["/som.v1.Admin/Echo", "/som.v1.Admin/EchoBidi"]
            for (role, uid) in Self.uids {
                let output = try await somctl(as: uid, ["can-i"] + methods + ["--socket", socket])
                #expect(output.status == 0, "\(output.stderr)")
                let lines = output.stdoutText.split(separator: "\n").map(String.init)
                #expect(lines.count == methods.count)
                for (method, line) in zip(methods, lines) {
                    let allowed = role.map { MethodRoles.allows([$0], method) } ?? false
                    #expect(line.hasPrefix(allowed ? "\(method) yes" : "\(method) no: uid \(uid) (gid \(uid)) has "), "\(role?.rawValue ?? "no role"): \(line)")
                }
            }
            // The refusal names what is missing.
            let reader = try await somctl(as: 61002, ["can-i", "/som.v1.Admin/ReleaseHold", "--socket", socket])
            #expect(reader.stdoutText == "/som.v1.Admin/ReleaseHold no: uid 61002 (gid 61002) has roles [reader]; /som.v1.Admin/ReleaseHold needs operator\n")
            // A role given to a supplementary group counts (SO_PEERCRED has only the primary gid).
            let grouped = try await somctl(as: 61100, gid: 61100, groups: [61100, 61003], ["can-i", "/som.v1.Admin/ReleaseHold", "--socket", socket])
            #expect(grouped.stdoutText.contains("no: uid 61100 (gid 61100, groups 61003) has no roles"), "\(grouped.stdoutText)")
        }
    }

    @Test("a supplementary group of the caller grants its roles", .enabled(if: canSwitchUsers))
    func supplementaryGroup() async throws {
        let directory = try TemporaryDirectory(prefix: "som-roles-groups")
        defer { directory.remove() }
        let access = AccessConfiguration(
            policy: AccessPolicy(rules: [AccessRule(name: "operators", gids: [62000], roles: [.operator])], serverUID: 0),
            gateways: [], requireRegisteredGateways: false)
        try await withServer(in: directory, access: access) { _, _ in
            let socket = directory.appending("som.sock")
            let member = try await somctl(as: 62001, gid: 62001, groups: [62001, 62000], ["can-i", "/som.v1.Admin/ReleaseHold", "--socket", socket])
            #expect(member.stdoutText == "/som.v1.Admin/ReleaseHold yes\n", "\(member.stdoutText)\(member.stderr)")
            let outsider = try await somctl(as: 62002, ["can-i", "/som.v1.Admin/ReleaseHold", "--socket", socket])
            #expect(outsider.stdoutText.hasPrefix("/som.v1.Admin/ReleaseHold no: uid 62002 (gid 62002) has no roles"))
        }
    }
}
