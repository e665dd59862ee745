/// A region's UTC offsets over time (its daylight-saving transitions), as plain data: the domain
/// converts between instants and wall-clock times without reading tzdata itself. The server
/// builds it from the IANA zone (`BusinessRulesFile`); tests write it by hand.
public struct ZoneOffsets: Sendable, Hashable {
    /// The IANA name, for texts (e.g. `Europe/Berlin`).
    public var name: String
    /// The offset before the first transition, in seconds east of UTC.
    public var initialOffsetSeconds: Int
    /// Transitions in increasing order: from `atSeconds` (UTC, since the epoch) the offset is `offsetSeconds`.
    public var transitions: [(atSeconds: Int64, offsetSeconds: Int)] {
        get { zip(starts, offsets).map { ($0, $1) } }
        set {
            starts = newValue.map(\.atSeconds)
            offsets = newValue.map(\.offsetSeconds)
        }
    }
    private var starts: [Int64] = []
    private var offsets: [Int] = []

    /// A zone from its transitions (sorted here).
    public init(name: String, initialOffsetSeconds: Int, transitions: [(atSeconds: Int64, offsetSeconds: Int)]) {
        self.name = name
        self.initialOffsetSeconds = initialOffsetSeconds
        self.transitions = transitions.sorted { $0.atSeconds < $1.atSeconds }
    }

    /// The offset in force at `seconds` (UTC since the epoch).
    public func offset(atSeconds seconds: Int64) -> Int {
        // The last transition at or before `seconds` (binary search).
        var low = 0, high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? initialOffsetSeconds : offsets[low - 1]
    }

    /// The instant of the wall-clock time `localSeconds` (seconds since the epoch, read as local).
    /// A time that happens twice (clocks go back) is its first occurrence; a time that does not
    /// exist (clocks go forward) is read with the offset before the jump, i.e. as late as the
    /// gap is long (02:30 in a one-hour gap is 03:30 after it).
    public func instant(localSeconds: Int64) -> Int64 {
        let before = offset(atSeconds: localSeconds - 86_400)
        let after = offset(atSeconds: localSeconds + 86_400)
        let valid = [before, after].filter { offset(atSeconds: localSeconds - Int64($0)) == $0 }
        if let largest = valid.max() { return localSeconds - Int64(largest) }
        return localSeconds - Int64(before)
    }
}
