/// Where a command record is in its life.
enum CommandState: UInt8, Sendable {
    case free, waiting, ready, leased, leasedAccepted, leasedCancelled

    var isQueued: Bool { self == .waiting || self == .ready }
    var isLeased: Bool { self == .leased || self == .leasedAccepted || self == .leasedCancelled }
}

/// The compact in-memory form of a queued command: 128 bytes with the strings inline.
///
/// Ids are kept as the caller's `String`s (ids of up to 15 UTF-8 bytes are stored inline, longer
/// ones share the caller's buffer), enums as their wire numbers, and times as nanoseconds, so a
/// million queued commands fit in about 128 MB of records.
struct CommandRecord: Sendable {
    static let none: UInt32 = .max
    static let noTime: Int64 = .min
    static let never: Int64 = .max

    var commandID: String
    var orderID: String
    var servicePointID: String
    var meterID: String
    var parameters: [UInt8]
    /// `noTime` when the command had no due time.
    var due: Int64
    /// The later of queueing and `due`: eligible from here, and ageing counts from here.
    var eligibleAt: Int64
    /// `never` when the command does not expire.
    var expiresAt: Int64
    var sequence: UInt64
    /// The lease number while leased, else 0.
    var lease: UInt64
    var gateway: UInt32
    /// Next record of the same order, or the next free slot while free.
    var next: UInt32
    var attempts: UInt16
    var type: UInt8
    var priority: UInt8
    var state: CommandState

    var ticket: UInt32 { UInt32(truncatingIfNeeded: sequence) }

    static let empty = CommandRecord(
        commandID: "", orderID: "", servicePointID: "", meterID: "", parameters: [], due: noTime, eligibleAt: 0,
        expiresAt: never, sequence: 0, lease: 0, gateway: 0, next: none, attempts: 0, type: 0, priority: 0, state: .free)
}
