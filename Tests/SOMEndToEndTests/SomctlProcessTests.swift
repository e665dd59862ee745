import Foundation
import SOMRPC
import SOMTestSupport
import SOMTransport
import Testing

/// The built somctl binary (the test command builds every product before testing).
let somctlPath = PackagePaths.path(".build/debug/somctl")

@Suite("somctl as a process", .timeLimit(.minutes(5)))
struct SomctlProcessTests {
    @Test("health: exit 0 and the status on stdout; exit 1 with a clear message when nobody listens",
          .enabled(if: FileManager.default.isExecutableFile(atPath: somctlPath)))
    func health() async throws {
        try await withTestServer(configure: { $0.socketMode = 0o666 }) { socket, _ in
            let ok = try await ProcessRunner.runOnThread(somctlPath, ["health", "--socket", socket])
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stdoutText.contains("status:  SERVING"))
            let json = try await ProcessRunner.runOnThread(somctlPath, ["health", "--json", "--socket", socket])
            #expect(json.stdoutText.hasPrefix(#"{"status":"SERVING""#))
        }
        let missing = try await ProcessRunner.runOnThread(somctlPath, ["health", "--socket", "/tmp/som-no-such-dir/som.sock"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("UNAVAILABLE") && missing.stderr.contains("is somd running?"))
        #expect(!missing.stderr.contains("Fatal error"))
    }

    @Test("a second uid outside the allow-list gets PERMISSION_DENIED (setpriv as nobody)",
          .enabled(if: getuid() == 0 && ProcessRunner.which("setpriv") != nil && FileManager.default.isExecutableFile(atPath: somctlPath)))
    func otherUIDDenied() async throws {
        try await withTestServer(configure: { configuration in
            configuration.socketMode = 0o666
            configuration.authorize = { peer, method in peer.uid == 0 ? nil : "uid \(peer.uid) (gid \(peer.gid)) may not call \(method.path)" }
        }) { socket, _ in
            // nobody must be able to reach the socket through its directory.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: (socket as NSString).deletingLastPathComponent)
            let setpriv = try #require(ProcessRunner.which("setpriv"))
            let denied = try await ProcessRunner.runOnThread(
                setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", somctlPath, "health", "--socket", socket])
            #expect(denied.status == 1)
            #expect(denied.stderr.contains("PERMISSION_DENIED: uid 65534"), "\(denied.stderr)")
        }
    }
}
