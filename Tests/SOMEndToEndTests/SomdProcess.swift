import Foundation
import SOMClient
import SOMCodec
import SOMTestSupport
import SOMTransport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The somd binary built alongside the running test binary.
enum SomdBinary {
    /// Where it is, or nil when it was not built (the process tests are then disabled, not passed).
    static let path: String? = locate()

    /// Why the process tests cannot run, for `.enabled(if:)`.
    static let missingReason: Comment = """
        no somd executable at \(candidates().joined(separator: ", ")); build it next to the tests with \
        `swift build --build-tests` or point SOM_SOMD at one
        """

    /// `SOM_SOMD` wins when set, so a run can aim at another build (release, sanitizer); otherwise
    /// the directory of the running test binary, which `swift build --build-tests` fills with every
    /// product of the same scratch path, then the default scratch path.
    static func candidates() -> [String] {
        if let explicit = ProcessInfo.processInfo.environment["SOM_SOMD"], !explicit.isEmpty { return [explicit] }
        var directories: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append((exe as NSString).deletingLastPathComponent)
        }
        directories.append(Bundle.main.bundleURL.path)
        if let first = CommandLine.arguments.first, first.contains("/") {
            directories.append(((first as NSString).standardizingPath as NSString).deletingLastPathComponent)
        }
        var seen = Set<String>()
        return (directories.map { ($0 as NSString).appendingPathComponent("somd") } + [PackagePaths.path(".build/debug/somd")])
            .filter { seen.insert($0).inserted }
    }

    static func locate() -> String? {
        candidates().first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Why a somd child did not do what the test needed.
struct SomdProcessError: Error, CustomStringConvertible {
    let description: String
}

/// One somd child process on a given socket and data directory.
///
/// Every instance must end in `stop()` (a `defer` right after `launch`): a failing test must never
/// leave a server running that holds the data directory's lock.
final class SomdProcess: Sendable {
    /// How the process ended.
    struct Exit: Sendable, Hashable, CustomStringConvertible {
        let signalled: Bool
        let status: Int32
        var description: String { signalled ? "killed by signal \(status)" : "exited with status \(status)" }
        var isOurSIGKILL: Bool { signalled && status == SIGKILL }
    }

    let socketPath: String
    let logPath: String
    let pid: Int32
    private let process: Process
    private let exit: LockedBox<Exit?>
    private let killRequested = LockedBox(false)

    private init(process: Process, socketPath: String, logPath: String, exit: LockedBox<Exit?>) {
        self.process = process
        self.socketPath = socketPath
        self.logPath = logPath
        self.pid = process.processIdentifier
        self.exit = exit
    }

    /// Starts somd with warnings (and worse) appended to `logPath`; does not wait for it to serve.
    static func launch(binary: String, socketPath: String, dataPath: String, logPath: String, extraArguments: [String] = [],
                       environment: [String: String] = [:]) throws -> SomdProcess {
        try launch(command: binary, arguments: ["--socket", socketPath, "--data", dataPath, "--log-level", "warning"] + extraArguments,
                   socketPath: socketPath, logPath: logPath, environment: environment)
    }

    /// Starts `command` (somd, or a wrapper that execs it, such as systemd-socket-activate) with
    /// `environment` added to the test's own, its output appended to `logPath`.
    static func launch(command: String, arguments: [String], socketPath: String, logPath: String,
                       environment: [String: String] = [:]) throws -> SomdProcess {
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            throw SomdProcessError(description: "cannot open \(logPath) for the somd log")
        }
        defer { try? log.close() }
        try log.seekToEnd()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        // Installed before `run`, so even an immediate exit is recorded.
        let exit = LockedBox<Exit?>(nil)
        process.terminationHandler = { ended in
            exit.value = Exit(signalled: ended.terminationReason == .uncaughtSignal, status: ended.terminationStatus)
        }
        try process.run()
        return SomdProcess(process: process, socketPath: socketPath, logPath: logPath, exit: exit)
    }

    /// Set once the process has been reaped.
    var exited: Exit? { exit.value }

    /// True once `kill()` was called: errors of calls in flight are then expected.
    var wasKilled: Bool { killRequested.value }

    /// Polls Health until it answers SERVING; fails if somd exits first or `timeout` passes.
    func waitUntilServing(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        let client = SOMClient(socketPath: socketPath)
        defer { Task { await client.close() } }
        var lastError = "no answer yet"
        while ContinuousClock.now < deadline {
            if let ended = exited {
                throw SomdProcessError(description: "somd \(ended) before serving; log:\n\(logTail())")
            }
            do {
                let health = try await client.health(options: CallOptions(timeout: .seconds(2)))
                if health.status == .serving { return }
                lastError = "status \(health.status)"
            } catch {
                lastError = "\(error)"
            }
            // A polling interval only: readiness is decided by the Health answer.
            try await Task.sleep(for: .milliseconds(5))
        }
        throw SomdProcessError(description: "somd did not serve within \(timeout) (\(lastError)); log:\n\(logTail())")
    }

    /// Sends SIGTERM, somd's graceful shutdown (nothing once the process is gone).
    func terminate() {
        if exit.value == nil && process.isRunning { _ = Glibc.kill(pid, SIGTERM) }
    }

    /// Sends SIGKILL (once the process is gone this does nothing, so a reused pid is never hit).
    func kill() {
        killRequested.value = true
        if exit.value == nil && process.isRunning { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// Waits until the process has been reaped.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> Exit {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let ended = exited { return ended }
            guard ContinuousClock.now < deadline else {
                throw SomdProcessError(description: "somd (pid \(pid)) still running \(timeout) after it should have ended")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Kills the process if it still runs and reaps it; for `defer`, so it cannot be async.
    func stop() {
        kill()
        process.waitUntilExit()
    }

    /// The end of the somd log, for failure messages.
    func logTail(bytes: Int = 4_000) -> String {
        guard let data = FileManager.default.contents(atPath: logPath) else { return "(no log)" }
        let text = String(decoding: data.suffix(bytes), as: UTF8.self)
        return text.isEmpty ? "(empty log)" : text
    }
}
