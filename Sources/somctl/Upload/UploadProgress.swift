import Foundation

/// The live progress line on stderr: redrawn in place every 200 ms on a terminal, one line every
/// 5 s otherwise (logs, CI), so neither a person nor a log file is flooded.
struct UploadProgress: Sendable {
    let ledger: UploadLedger
    /// The file's size, for the ETA; nil when unknown.
    let totalBytes: Int64?
    let started: ContinuousClock.Instant
    let live: Bool

    init(ledger: UploadLedger, totalBytes: Int64?, started: ContinuousClock.Instant) {
        self.ledger = ledger
        self.totalBytes = totalBytes
        self.started = started
        self.live = StandardError.isTerminal
    }

    /// Reports until cancelled.
    func run() async {
        let interval: Duration = live ? .milliseconds(200) : .seconds(5)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            let text = line(ledger.counts)
            StandardError.write(live ? "\r\u{1B}[2K" + text : text + "\n")
        }
    }

    /// Clears the live line so the summary starts on a clean line.
    func finish() {
        if live { StandardError.write("\r\u{1B}[2K") }
    }

    func line(_ counts: UploadCounts) -> String {
        let elapsed = seconds(since: started)
        let rate = elapsed > 0 ? Double(counts.settled) / elapsed : 0
        return "sent \(counts.sent), accepted \(counts.accepted), duplicates \(counts.duplicates), rejected \(counts.rejected), "
            + "\(Int(rate.rounded()))/s, ETA \(eta(counts.bytesRead, elapsed))"
    }

    private func eta(_ read: Int64, _ elapsed: Double) -> String {
        guard let totalBytes, totalBytes > 0, read > 0, elapsed > 0 else { return "--:--" }
        let remaining = max(0, elapsed * Double(totalBytes - read) / Double(read))
        let total = Int(remaining.rounded())
        return String(format: "%02d:%02d", total / 60, total % 60)
    }
}

/// Seconds since `start`, as a Double for rates.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let (whole, fraction) = (ContinuousClock.now - start).components
    return Double(whole) + Double(fraction) / 1e18
}
