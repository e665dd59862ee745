/// Commands per second over roughly the last ten seconds, for `somctl gateways`.
///
/// Two fixed windows, the previous one weighted by how much of it still overlaps the sliding
/// window: constant memory, no per-event timestamps.
struct RateWindow: Sendable {
    static let window: Int64 = 10_000_000_000
    private var start: Int64 = 0
    private var current: Int = 0
    private var previous: Int = 0

    mutating func record(_ count: Int, now: Int64) {
        roll(now)
        current += count
    }

    func perSecond(now: Int64) -> Double {
        var copy = self
        copy.roll(now)
        let elapsed = Double(max(0, now - copy.start)) / Double(Self.window)
        let weighted = Double(copy.previous) * (1 - min(elapsed, 1)) + Double(copy.current)
        return weighted / (Double(Self.window) / 1e9)
    }

    private mutating func roll(_ now: Int64) {
        guard now - start >= Self.window else { return }
        let windows = (now - start) / Self.window
        previous = windows == 1 ? current : 0
        current = 0
        start += windows * Self.window
    }
}
