import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output, buffered here rather than in stdio so Swift 6 code need not touch the global
/// `stdout`; commands flush when a reader should see the lines (each watch batch, the end).
final class StandardOutput {
    private var buffer: [UInt8] = []
    private static let flushThreshold = 64 << 10

    init() { buffer.reserveCapacity(Self.flushThreshold) }

    func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        // A closed pipe (e.g. `| head`) ends the output; there is nobody left to tell.
        try? FileHandle.standardOutput.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// Standard error, unbuffered: messages and progress must show at once.
enum StandardError {
    static func write(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    /// True when a person is probably watching (progress is redrawn in place only then).
    static var isTerminal: Bool { isatty(FileHandle.standardError.fileDescriptor) != 0 }
}
