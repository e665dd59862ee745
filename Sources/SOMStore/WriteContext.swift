public import SOMCodec

/// What one group-commit transaction hands to each write applied in it: the counters the writer
/// owns and the transaction's clock reading.
///
/// Counters start from the committed values at the beginning of every attempt, so when LMDB asks for
/// a rerun (map growth) the rerun assigns the same ids and sequence numbers again: no gaps.
public struct WriteContext: Sendable {
    /// The next order number to assign.
    var nextOrderNumber: UInt64
    /// The next event sequence number to assign.
    var nextSequence: UInt64
    /// The time every record written in this transaction is stamped with.
    public let now: Timestamp
    /// How the number of open orders per status changes with this transaction, applied to the
    /// writer's counters only once it has committed (a rerun starts from empty again).
    var openDeltas: [Int32: Int] = [:]
    /// Counters the decisions of this transaction added (`ServicePointChanges.tally`), shown to the
    /// later decisions of the same transaction; like every field here, a rerun starts from empty.
    var tally: [String: Int] = [:]

    /// The writer's decoded orders and devices (nil outside the writer, e.g. while opening).
    var decoded: DecodedRecords? = nil

    /// Orders that entered a final status in this transaction (raw status → count), for metrics.
    var finishedDeltas: [Int32: Int] = [:]

    /// Counts an order entering (`+1`) or leaving (`-1`) an open status; terminal statuses are not
    /// counted as open, but an order entering one is counted as finished.
    mutating func countOpen(_ status: OrderStatus, _ delta: Int) {
        guard !status.isTerminal else {
            if delta > 0 { finishedDeltas[status.rawValue, default: 0] += delta }
            return
        }
        openDeltas[status.rawValue, default: 0] += delta
    }

    /// The order stored as `bytes`, decoded or from the writer's cache.
    func order(_ number: UInt64, bytes: [UInt8]) -> Order? {
        if let decoded { return decoded.order(number, bytes: bytes) }
        return try? Order(decoding: bytes)
    }

    /// The device stored as `bytes`, decoded or from the writer's cache.
    func device(_ servicePointID: String, bytes: [UInt8]) -> ServicePointDevice? {
        if let decoded { return decoded.device(servicePointID, bytes: bytes) }
        return try? ServicePointDevice(decoding: bytes)
    }

    /// Takes the next order number.
    mutating func takeOrderNumber() -> UInt64 {
        defer { nextOrderNumber += 1 }
        return nextOrderNumber
    }

    /// Takes the next event sequence number.
    mutating func takeSequence() -> UInt64 {
        defer { nextSequence += 1 }
        return nextSequence
    }
}
