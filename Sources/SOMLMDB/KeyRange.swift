/// Which keys a scan visits: a lower bound, an upper bound, or a prefix.
///
/// Bounds compare with the database's own key order (`mdb_cmp`), so they work for any database;
/// ``prefix(_:)`` assumes the default byte-wise order (it is meaningless with `reverseKey` or `integerKey`).
/// An empty bound means "unbounded" on the lower side and "nothing" on the upper side.
public struct KeyRange: Sendable, Hashable {
    enum Upper: Sendable, Hashable {
        case unbounded
        case exclusive([UInt8])
        case inclusive([UInt8])
    }

    /// Inclusive lower bound; `nil` or empty means from the first key.
    let lower: [UInt8]?
    let upper: Upper
    /// Every visited key must start with this.
    let prefix: [UInt8]?

    /// Every key.
    public static let all = KeyRange(lower: nil, upper: .unbounded, prefix: nil)

    /// Keys that start with `prefix`, e.g. `[tag] + id.bigEndianBytes`.
    public static func prefix(_ prefix: some Sequence<UInt8>) -> KeyRange {
        let prefix = Array(prefix)
        guard !prefix.isEmpty else { return .all }
        let upper: Upper = successor(of: prefix).map { .exclusive($0) } ?? .unbounded
        return KeyRange(lower: prefix, upper: upper, prefix: prefix)
    }

    /// Keys that start with `prefix` and sort after `key`: resumes a prefix scan after the last key
    /// it returned (the next possible key is `key` followed by a zero byte).
    public static func prefix(_ prefix: some Sequence<UInt8>, after key: [UInt8]?) -> KeyRange {
        let whole = Self.prefix(prefix)
        guard let key else { return whole }
        return KeyRange(lower: key + [0], upper: whole.upper, prefix: whole.prefix)
    }

    /// Keys `>= start`.
    public static func from(_ start: some Sequence<UInt8>) -> KeyRange {
        KeyRange(lower: Array(start), upper: .unbounded, prefix: nil)
    }

    /// Keys `>= start` and `< end` (half-open, like `start..<end`).
    public static func from(_ start: some Sequence<UInt8>, upTo end: some Sequence<UInt8>) -> KeyRange {
        KeyRange(lower: Array(start), upper: .exclusive(Array(end)), prefix: nil)
    }

    /// Keys `>= start` and `<= end` (closed, like `start...end`).
    public static func from(_ start: some Sequence<UInt8>, through end: some Sequence<UInt8>) -> KeyRange {
        KeyRange(lower: Array(start), upper: .inclusive(Array(end)), prefix: nil)
    }

    /// Keys `< end`.
    public static func upTo(_ end: some Sequence<UInt8>) -> KeyRange {
        KeyRange(lower: nil, upper: .exclusive(Array(end)), prefix: nil)
    }

    /// Keys `<= end`.
    public static func through(_ end: some Sequence<UInt8>) -> KeyRange {
        KeyRange(lower: nil, upper: .inclusive(Array(end)), prefix: nil)
    }

    /// The smallest byte string greater than every string starting with `prefix`, or `nil` if there
    /// is none (the prefix is all `0xFF`): drop trailing `0xFF`s, then add one to the last byte.
    static func successor(of prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}

/// What a scan body tells the scan to do next.
public enum ScanControl: Sendable, Hashable {
    /// Visit the next item.
    case `continue`
    /// Stop scanning; the scan returns normally.
    case stop
}
