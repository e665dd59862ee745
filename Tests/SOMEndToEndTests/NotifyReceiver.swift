import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SOMTestSupport

/// A stand-in for systemd's notification socket: Tests/scripts/notify_receiver.py binds a Unix
/// datagram socket at `path` and prints each message; `next()` hands them out in order.
/// (NIO cannot receive from the unnamed sockets sd_notify-style senders use.)
final class NotifyReceiver: Sendable {
    let path: String
    private let process: Process
    private let received = LockedBox<[String]>([])
    private let taken = LockedBox(0)

    /// Starts the receiver and waits until its socket is bound.
    init(path: String) async throws {
        // The system's interpreter when there is one: a version manager's shim on PATH is a script
        // that can take seconds to start while the whole suite runs in parallel.
        let system = "/usr/bin/python3"
        guard let python = FileManager.default.isExecutableFile(atPath: system) ? system : ProcessRunner.which("python3") else {
            throw SomdProcessError(description: "python3 not found")
        }
        let output = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PackagePaths.path("Tests/scripts/notify_receiver.py"), path]
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.path = path
        self.process = process
        // A plain thread with blocking reads: it ends at end of file, when the receiver exits.
        let received = self.received
        Thread {
            var pending = ""
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                pending += String(decoding: data, as: UTF8.self)
                while let newline = pending.firstIndex(of: "\n") {
                    let line = String(pending[..<newline]).replacingOccurrences(of: "\\n", with: "\n")
                    pending = String(pending[pending.index(after: newline)...])
                    received.withValue { $0.append(line) }
                }
            }
        }.start()
        guard await next(within: .seconds(30)) == "bound" else {
            close()
            throw SomdProcessError(description: "notify_receiver.py did not bind \(path)")
        }
    }

    /// The next message, or nil when none arrives within `timeout`.
    func next(within timeout: Duration = .seconds(30)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let index = taken.value
            if let message = received.withValue({ $0.count > index ? $0[index] : nil }) {
                taken.value = index + 1
                return message
            }
            // Polling interval only: what counts is the message, which is waited for up to `timeout`.
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// Stops the receiver process (SIGKILL: a child may inherit SIGTERM blocked from the test's threads).
    func close() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
