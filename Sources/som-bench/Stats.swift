/// Latencies in a log-linear histogram: constant memory however long the run, cheap to record
/// from each worker and to merge afterwards, and within 1% of the exact percentile.
struct LatencyHistogram: Sendable {
    /// Each power of two is split into 2^(bits-1) linear buckets, so a bucket is at most 1/128 of its value wide.
    private static let precisionBits = 8
    private static let half = 1 << (precisionBits - 1)
    private static let bucketCount = (64 - precisionBits + 2) * half

    private var counts = [UInt64](repeating: 0, count: bucketCount)
    private(set) var count: UInt64 = 0
    private var sum: Double = 0
    private var smallest = UInt64.max
    private var largest: UInt64 = 0

    init() {}

    mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        record(nanoseconds: UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000))
    }

    mutating func record(nanoseconds value: UInt64) {
        counts[Self.index(of: value)] += 1
        count += 1
        sum += Double(value)
        smallest = min(smallest, value)
        largest = max(largest, value)
    }

    mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] += other.counts[index] }
        count += other.count
        sum += other.sum
        smallest = min(smallest, other.smallest)
        largest = max(largest, other.largest)
    }

    /// The value at percentile `p` (0...100) in nanoseconds: the middle of the bucket holding
    /// that rank, clamped to the exact minimum and maximum seen.
    func percentile(_ p: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = max(1, UInt64((p / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= rank {
                let (low, high) = Self.bounds(of: index)
                return min(max((Double(low) + Double(high)) / 2, Double(smallest)), Double(largest))
            }
        }
        return Double(largest)
    }

    var meanNanoseconds: Double { count == 0 ? 0 : sum / Double(count) }
    var maxNanoseconds: Double { Double(largest) }

    /// Values below 2^bits get a bucket each; above, the top `bits` significant bits pick the bucket.
    private static func index(of value: UInt64) -> Int {
        let msb = 63 - value.leadingZeroBitCount
        let shift = max(0, msb - (precisionBits - 1))
        return shift * half + Int(value >> UInt64(shift))
    }

    private static func bounds(of index: Int) -> (low: UInt64, high: UInt64) {
        if index < 2 * half { return (UInt64(index), UInt64(index)) }
        let shift = index / half - 1
        let mantissa = UInt64(index - shift * half)
        let low = mantissa << UInt64(shift)
        return (low, low + ((1 << UInt64(shift)) - 1))
    }
}
