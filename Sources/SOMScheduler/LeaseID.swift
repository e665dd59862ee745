/// Names one leased batch (or one leased field activity); sent to adapters as the batch id.
///
/// Lease numbers only grow, also across restarts (see `SchedulerStateMachine.init(restoring:)`),
/// so a late heartbeat for an old batch can never extend a new one.
public struct LeaseID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The lease number.
    public var rawValue: UInt64

    /// The lease with number `rawValue`.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Parses the wire form, `L` followed by the decimal lease number.
    public init?(_ text: String) {
        guard text.first == "L", let number = UInt64(text.dropFirst()), number > 0 else { return nil }
        rawValue = number
    }

    /// The wire form, e.g. `L42`.
    public var description: String { "L\(rawValue)" }

    public static func < (lhs: LeaseID, rhs: LeaseID) -> Bool { lhs.rawValue < rhs.rawValue }
}
