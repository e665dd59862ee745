import Foundation
import SOMClient
import SOMCodec
import SOMTransport
import SOMTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// somd as systemd runs it, without systemd as PID 1: the notification protocol against a test
/// socket, socket activation through `systemd-socket-activate`, and the unit files through
/// `systemd-analyze verify` (both from Debian's systemd package, which tools/lib.sh installs).
@Suite("somd under systemd", .timeLimit(.minutes(5)), .enabled(if: SomdBinary.path != nil, SomdBinary.missingReason))
struct SystemdTests {
    @Test("NOTIFY_SOCKET receives READY=1 once somd serves, then STOPPING=1 on SIGTERM, then somd exits 0")
    func readyThenStopping() async throws {
        let directory = try TemporaryDirectory(prefix: "som-notify")
        defer { directory.remove() }
        let receiver = try await NotifyReceiver(path: directory.appending("notify.sock"))
        defer { receiver.close() }
        let somd = try SomdProcess.launch(
            binary: try #require(SomdBinary.path), socketPath: directory.appending("som.sock"),
            dataPath: directory.appending("data"), logPath: directory.appending("somd.log"),
            environment: ["NOTIFY_SOCKET": receiver.path])
        defer { somd.stop() }
        let ready = await receiver.next()
        #expect(ready?.split(separator: "\n").first == "READY=1", "first message: \(ready ?? "none"); log:\n\(somd.logTail())")
        // READY means the socket serves: a call succeeds without any retry.
        let client = SOMClient(socketPath: somd.socketPath)
        let health = try await client.health(options: CallOptions(timeout: .seconds(10)))
        await client.close()
        #expect(health.status == .serving)
        somd.terminate()
        let stopping = await receiver.next()
        #expect(stopping == "STOPPING=1", "after SIGTERM: \(stopping ?? "none"); log:\n\(somd.logTail())")
        let exit = try await somd.waitForExit()
        #expect(exit == .init(signalled: false, status: 0))
    }

    @Test("WATCHDOG_USEC makes somd send WATCHDOG=1 keep-alives")
    func watchdog() async throws {
        let directory = try TemporaryDirectory(prefix: "som-watchdog")
        defer { directory.remove() }
        let receiver = try await NotifyReceiver(path: directory.appending("notify.sock"))
        defer { receiver.close() }
        let somd = try SomdProcess.launch(
            binary: try #require(SomdBinary.path), socketPath: directory.appending("som.sock"),
            dataPath: directory.appending("data"), logPath: directory.appending("somd.log"),
            environment: ["NOTIFY_SOCKET": receiver.path, "WATCHDOG_USEC": "200000"])
        defer { somd.stop() }
        var seen: [String] = []
        while seen.filter({ $0 == "WATCHDOG=1" }).count < 3, let message = await receiver.next() {
            seen.append(message)
        }
        #expect(seen.filter { $0 == "WATCHDOG=1" }.count == 3, "messages: \(seen); log:\n\(somd.logTail())")
    }

    @Test("under systemd-socket-activate somd serves the passed socket and leaves the path to its owner",
          .enabled(if: ProcessRunner.which("systemd-socket-activate") != nil, "systemd-socket-activate not installed (Debian package systemd)"))
    func socketActivation() async throws {
        let directory = try TemporaryDirectory(prefix: "som-activate")
        defer { directory.remove() }
        let socketPath = directory.appending("som.sock")
        let activator = try #require(ProcessRunner.which("systemd-socket-activate"))
        // systemd-socket-activate closes every inherited descriptor before it execs somd, among them
        // the one Foundation's Process watches to learn that a child ended: Foundation would then
        // block in waitpid on it and reap no other child of the test run. A shell between them keeps
        // that descriptor open; the shell waits for the activator (which becomes somd) in the
        // foreground (not `wait`, which needs SIGCHLD, and children of the test run start with most
        // signals blocked) and exits with its status.
        let somd = try SomdProcess.launch(
            command: "/bin/sh",
            arguments: ["-c", #""$@"; status=$?; exit $status"#, "sh", activator, "--listen=\(socketPath)", "--fdname=som", try #require(SomdBinary.path),
                        "--socket", directory.appending("unbound.sock"), "--data", directory.appending("data"), "--log-level", "info"],
            socketPath: socketPath, logPath: directory.appending("somd.log"))
        defer { somd.stop() }
        // Runs first: the shell's SIGKILL in stop() would leave somd running.
        defer { if let server = try? childProcess(of: somd.pid) { kill(server, SIGKILL) } }
        try await somd.waitUntilServing()
        #expect(!FileManager.default.fileExists(atPath: directory.appending("unbound.sock")))
        #expect(somd.logTail().contains("activated: true") || somd.logTail().contains("activated=true"), "log:\n\(somd.logTail())")
        kill(try childProcess(of: somd.pid), SIGTERM)
        #expect(try await somd.waitForExit() == .init(signalled: false, status: 0), "log:\n\(somd.logTail())")
        // systemd owns the path: somd neither removes it nor its lock file appears.
        #expect(FileManager.default.fileExists(atPath: socketPath))
        #expect(!FileManager.default.fileExists(atPath: socketPath + ".lock"))
    }

    @Test("systemd-analyze verify accepts packaging/systemd/somd.service and somd.socket",
          .enabled(if: ProcessRunner.which("systemd-analyze") != nil, "systemd-analyze not installed (Debian package systemd)"))
    func unitsVerify() throws {
        let directory = try TemporaryDirectory(prefix: "som-units")
        defer { directory.remove() }
        // verify checks that ExecStart's program exists: point it at the somd under test.
        let service = try String(contentsOfFile: PackagePaths.path("packaging/systemd/somd.service"), encoding: .utf8)
        #expect(service.contains("ExecStart=/usr/bin/somd "))
        try service.replacingOccurrences(of: "ExecStart=/usr/bin/somd ", with: "ExecStart=\(try #require(SomdBinary.path)) ")
            .write(toFile: directory.appending("somd.service"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: PackagePaths.path("packaging/systemd/somd.socket"), toPath: directory.appending("somd.socket"))
        let analyze = try #require(ProcessRunner.which("systemd-analyze"))
        let result = try ProcessRunner.run(
            analyze, ["verify", "--man=no", directory.appending("somd.socket"), directory.appending("somd.service")],
            currentDirectory: directory.path)
        #expect(result.status == 0 && result.stderr.isEmpty, "systemd-analyze verify: \(result.status)\n\(result.stderr)\(result.stdoutText)")
    }
}

/// The one child of process `pid` (the activator, which became somd).
func childProcess(of pid: Int32) throws -> Int32 {
    let text = try String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)
    guard let child = text.split(separator: " ").first.flatMap({ Int32($0) }) else {
        throw SomdProcessError(description: "process \(pid) has no child")
    }
    return child
}
