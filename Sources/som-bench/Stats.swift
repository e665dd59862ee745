import Histogram

/// Call latencies in an HdrHistogram (three significant digits): constant memory however long the
/// run, cheap to record from each worker and to merge afterwards.
struct LatencyHistogram: Sendable {
    private var histogram = Histogram<UInt64>(numberOfSignificantValueDigits: .three)

    init() {
        // Latencies range from microseconds to the odd multi-second outlier on a shared machine.
        histogram.autoResize = true
    }

    /// Calls recorded.
    var count: UInt64 { histogram.totalCount }

    mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        record(nanoseconds: UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000))
    }

    mutating func record(nanoseconds value: UInt64) {
        _ = histogram.record(value)
    }

    mutating func merge(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
    }

    /// The value at percentile `p` (0...100), in nanoseconds.
    func percentile(_ p: Double) -> Double {
        count == 0 ? 0 : Double(histogram.valueAtPercentile(p))
    }

    var meanNanoseconds: Double { count == 0 ? 0 : histogram.mean }
    var maxNanoseconds: Double { count == 0 ? 0 : Double(histogram.max) }
}
