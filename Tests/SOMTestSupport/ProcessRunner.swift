import Foundation

/// The result of running a command to completion.
public struct ProcessOutput: Sendable {
    /// The exit status (or the terminating signal number).
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: [UInt8]
    /// Everything written to standard error, as text.
    public var stderr: String

    /// Standard output as UTF-8 text.
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs tools (protoc, somctl, somd) from tests.
public enum ProcessRunner {
    /// Runs `executable` with `arguments`, feeding `stdin`, and waits for it to exit.
    public static func run(_ executable: String, _ arguments: [String], stdin: [UInt8] = [], environment: [String: String]? = nil,
                           currentDirectory: String? = nil) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Write and read concurrently so a large output cannot dead-lock on a full pipe.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let errorData = LockedBox(Data())
        let errorDone = DispatchSemaphore(value: 0)
        Thread {
            errorData.value = error.fileHandleForReading.readDataToEndOfFile()
            errorDone.signal()
        }.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorDone.wait()
        return ProcessOutput(status: process.terminationStatus, stdout: [UInt8](out), stderr: String(decoding: errorData.value, as: UTF8.self))
    }

    /// `run` on a thread of its own: a test awaiting a child that talks to an in-process server
    /// must not block one of the few cooperative threads the server needs to answer it.
    public static func runOnThread(_ executable: String, _ arguments: [String], stdin: [UInt8] = []) async throws -> ProcessOutput {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try run(executable, arguments, stdin: stdin) }) }.start()
        }
    }

    /// Finds an executable on PATH.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A value shared between threads under a lock.
public final class LockedBox<Value>: @unchecked Sendable {
    // @unchecked: every access to `_value` holds `lock`.
    private let lock = NSLock()
    private var _value: Value

    /// Wraps `value`.
    public init(_ value: Value) { _value = value }

    /// The current value, read or written under the lock.
    public var value: Value {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
}

extension LockedBox {
    /// Runs `body` with exclusive access to the value.
    public func withValue<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&_value) }
    }
}
