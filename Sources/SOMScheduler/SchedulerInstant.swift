public import SOMCodec

/// A wall-clock instant in nanoseconds since the Unix epoch: the scheduler's only notion of time.
///
/// Every state-machine call takes `now` as one of these, so tests drive time by hand and nothing
/// reads a clock behind the caller's back. Wall time rather than a monotonic clock, because due
/// times, expiries and lease ends are persisted and exchanged as `Timestamp`s.
public struct SchedulerInstant: InstantProtocol, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    /// The instant `nanosecondsSinceEpoch` nanoseconds after the epoch.
    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    /// The instant `seconds` after the epoch.
    public init(secondsSinceEpoch seconds: Int64) {
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        nanosecondsSinceEpoch = overflow ? (seconds < 0 ? .min : .max) : product
    }

    /// The instant of a protobuf timestamp, saturating outside the years 1677...2262.
    public init(_ timestamp: Timestamp) {
        let (seconds, overflow) = timestamp.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = seconds.addingReportingOverflow(Int64(timestamp.nanos))
        nanosecondsSinceEpoch = (overflow || overflow2) ? (timestamp.seconds < 0 ? .min : .max) : total
    }

    /// The same instant as a protobuf timestamp.
    public var timestamp: Timestamp {
        let (seconds, nanos) = nanosecondsSinceEpoch.quotientAndRemainder(dividingBy: 1_000_000_000)
        return nanos < 0
            ? Timestamp(seconds: seconds - 1, nanos: Int32(nanos + 1_000_000_000))
            : Timestamp(seconds: seconds, nanos: Int32(nanos))
    }

    public func advanced(by duration: Duration) -> SchedulerInstant {
        let (sum, overflow) = nanosecondsSinceEpoch.addingReportingOverflow(duration.clampedNanoseconds)
        return SchedulerInstant(nanosecondsSinceEpoch: overflow ? (duration < .zero ? .min : .max) : sum)
    }

    public func duration(to other: SchedulerInstant) -> Duration {
        .nanoseconds(other.nanosecondsSinceEpoch &- nanosecondsSinceEpoch)
    }

    public static func < (lhs: SchedulerInstant, rhs: SchedulerInstant) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    public var description: String {
        let ts = timestamp
        return "\(ts.seconds).\(String(ts.nanos + 1_000_000_000).dropFirst())s"
    }
}

extension Duration {
    /// The duration in nanoseconds, saturating at `Int64`'s bounds (about ±292 years).
    var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = product.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : sum
    }
}
