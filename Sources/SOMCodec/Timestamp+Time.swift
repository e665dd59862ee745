public import Foundation

extension Timestamp: Comparable {
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanos) < (rhs.seconds, rhs.nanos)
    }
}

extension Timestamp {
    /// The current wall-clock time.
    public static func now() -> Timestamp { Timestamp(date: Date()) }

    /// The instant of `date`, to the microsecond (Date's precision).
    public init(date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded(.down)
        let seconds = (micros / 1_000_000).rounded(.down)
        self.init(seconds: Int64(seconds), nanos: Int32((micros - seconds * 1_000_000) * 1000))
    }

    /// The same instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(nanos) / 1e9) }

    /// This instant moved by `duration`, normalised so `nanos` stays in 0..<1e9.
    public func adding(_ duration: Duration) -> Timestamp {
        let (seconds, attoseconds) = duration.components
        var totalNanos = Int64(nanos) + attoseconds / 1_000_000_000
        var totalSeconds = self.seconds + seconds
        totalSeconds += totalNanos / 1_000_000_000
        totalNanos %= 1_000_000_000
        if totalNanos < 0 {
            totalNanos += 1_000_000_000
            totalSeconds -= 1
        }
        return Timestamp(seconds: totalSeconds, nanos: Int32(totalNanos))
    }
}
