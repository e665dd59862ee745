/// A token bucket for a gateway's commands-per-second limit.
struct TokenBucket: Sendable {
    var ratePerSecond: Double?
    var capacity: Double
    private var tokens: Double
    private var updatedAt: Int64

    init(limits: GatewayLimits, now: Int64) {
        ratePerSecond = limits.commandsPerSecond
        capacity = Double(limits.effectiveBurst)
        tokens = capacity
        updatedAt = now
    }

    /// Whole commands the limit lets through at `now`.
    mutating func available(now: Int64) -> Int {
        guard let rate = ratePerSecond else { return .max }
        refill(rate: rate, now: now)
        return Int(tokens.rounded(.down))
    }

    mutating func consume(_ count: Int, now: Int64) {
        guard let rate = ratePerSecond else { return }
        refill(rate: rate, now: now)
        tokens -= Double(count)
    }

    /// The instant the bucket holds `count` tokens.
    func instant(holding count: Int) -> Int64 {
        guard let rate = ratePerSecond else { return updatedAt }
        let missing = Double(count) - tokens
        guard missing > 0 else { return updatedAt }
        return updatedAt &+ Int64((missing / rate * 1e9).rounded(.up))
    }

    private mutating func refill(rate: Double, now: Int64) {
        guard now > updatedAt else { return }
        tokens = min(capacity, tokens + Double(now - updatedAt) / 1e9 * rate)
        updatedAt = now
    }
}
