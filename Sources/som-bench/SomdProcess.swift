import Foundation
import Glibc

/// A somd child with its socket, data and log in one fresh temporary directory, which goes
/// away with it.
final class SomdProcess {
    let directory: String
    let socketPath: String
    let logPath: String
    private let process: Process
    private let interruptCleanup: InterruptCleanup

    private init(directory: String, process: Process, logPath: String, socketPath: String) {
        self.directory = directory
        self.process = process
        self.logPath = logPath
        self.socketPath = socketPath
        self.interruptCleanup = InterruptCleanup(childPID: process.processIdentifier, directory: directory)
    }

    /// Starts somd in a fresh temporary directory, or in `directory` (a restart on a kept store).
    static func start(executable: String, directory existing: String? = nil) throws -> SomdProcess {
        let directory = try existing ?? makeTemporaryDirectory()
        let socketPath = directory + "/som.sock"
        let logPath = directory + "/somd.log"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // A short drain keeps the final SIGTERM quick; nothing is in flight by then anyway.
        process.arguments = ["--socket", socketPath, "--data", directory + "/data", "--drain-timeout", "2", "--log-level", "info"]
        do {
            if existing == nil || !FileManager.default.fileExists(atPath: logPath) {
                guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
                    throw BenchError("cannot create \(logPath)")
                }
            }
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            try log.seekToEnd()
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            try process.run()
        } catch {
            if existing == nil { try? FileManager.default.removeItem(atPath: directory) }
            throw BenchError("cannot start \(executable): \(error)")
        }
        return SomdProcess(directory: directory, process: process, logPath: logPath, socketPath: socketPath)
    }

    /// How the process ended, or nil while it runs.
    var ended: String? {
        guard !process.isRunning else { return nil }
        switch process.terminationReason {
        case .exit: return "exited with status \(process.terminationStatus)"
        case .uncaughtSignal: return "was killed by signal \(process.terminationStatus)"
        @unknown default: return "ended (status \(process.terminationStatus))"
        }
    }

    /// The end of somd's log, for error messages.
    func logTail(lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "(no log)" }
        let tail = text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
        let trimmed = tail.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? "(empty)" : trimmed
    }

    /// SIGTERM, then SIGKILL if it has not exited after `grace`; removes the directory unless `keep`.
    /// - Returns: what went wrong, with the end of somd's log, when it did not exit cleanly
    ///   (a crash during the run, or a failed shutdown).
    @discardableResult
    func stop(grace: Duration = .seconds(15), keep: Bool = false) -> String? {
        interruptCleanup.cancel()
        var problem: String?
        if let ended {
            problem = "somd \(ended) before som-bench stopped it"
        } else {
            kill(process.processIdentifier, SIGTERM)
            // Polled with usleep, not Task.sleep: stopping must finish even in a cancelled task.
            let deadline = ContinuousClock.now + grace
            while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                problem = "somd did not exit within \(grace) of SIGTERM; killed it"
            } else if process.terminationReason != .exit || process.terminationStatus != 0 {
                problem = "somd \(ended ?? "ended") after SIGTERM"
            }
        }
        let report = problem.map { "\($0); last lines of its log:\n\(logTail())" }
        if !keep { try? FileManager.default.removeItem(atPath: directory) }
        return report
    }

    /// Short on purpose: a Unix socket path must fit in 108 bytes.
    private static func makeTemporaryDirectory() throws -> String {
        var base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        if base.isEmpty || base.count > 60 { base = "/tmp" }
        var template = Array("\(base)/som-bench.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BenchError("cannot create a temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}
