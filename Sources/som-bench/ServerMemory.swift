import Foundation

/// Samples a process's anonymous resident memory (heap, stacks: what the server allocates) from
/// /proc; file-backed pages of the LMDB map are excluded, since they are the page cache's.
final class ServerMemorySampler: Sendable {
    private let pid: UInt32
    private let task: Task<Int, Never>

    /// Starts sampling every `interval`.
    init(pid: UInt32, interval: Duration = .milliseconds(50)) {
        self.pid = pid
        task = Task {
            var peak = 0
            while !Task.isCancelled {
                peak = max(peak, Self.anonymousKB(pid) ?? 0)
                try? await Task.sleep(for: interval)
            }
            return max(peak, Self.anonymousKB(pid) ?? 0)
        }
    }

    /// Stops; returns the peak in MiB (0 when /proc could not be read).
    func stop() async -> Double {
        task.cancel()
        return Double(await task.value) / 1024
    }

    /// `RssAnon` of /proc/PID/status in KiB.
    static func anonymousKB(_ pid: UInt32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("RssAnon:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
