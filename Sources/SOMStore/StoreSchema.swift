public import SOMCodec
import SOMLMDB

/// The named databases and the schema version of a data directory.
///
/// Version history: 1 = orders, idempotency, by_service_point, by_status, events, devices, meta;
/// 2 = adds `due` (orders by next check time). A version 1 directory is upgraded on open: v1 had
/// no orchestration, so no order had a next check time and the new index starts empty.
/// 3 = adds `audit` and `audit_by_target` (the operator audit trail), which start empty on upgrade.
enum StoreSchema {
    /// The newest layout this binary reads and writes.
    static let version: UInt32 = 3

    static let orders = "orders"
    static let idempotency = "idempotency"
    static let byServicePoint = "by_service_point"
    static let byStatus = "by_status"
    static let events = "events"
    static let devices = "devices"
    static let meta = "meta"
    static let due = "due"
    static let audit = "audit"
    static let auditByTarget = "audit_by_target"

    /// Every named database, in one place for opening, checking and statistics.
    static let all = [orders, idempotency, byServicePoint, byStatus, events, devices, meta, due, audit, auditByTarget]

    /// Databases a store written by an older version lacks until its next open creates them
    /// (read-only checks must not call their absence damage).
    static let createdOnUpgrade: Set<String> = [audit, auditByTarget]

    static let schemaVersionKey = Array("schema_version".utf8)
    static let eventFloorKey = Array("event_floor".utf8)
}

/// Handles of the named databases, opened once.
struct Tables: Sendable {
    /// Order number (8 bytes, big-endian) → packed `Order`.
    let orders: Database
    /// Source system (4 bytes) + source request id → order number. Also the "orders by source" index.
    let idempotency: Database
    /// Service point id + 0x00 + order number → the order's status (1 byte), so the open orders of
    /// a service point are found without decoding its history. Empty in directories written before
    /// the status was kept there: such entries are decoded.
    let byServicePoint: Database
    /// Status (1 byte) + order number → empty; open (non-terminal) orders only.
    let byStatus: Database
    /// Sequence number (8 bytes) → packed `OrderEvent`.
    let events: Database
    /// Service point id → packed `ServicePointDevice`.
    let devices: Database
    /// Schema version, retention floor.
    let meta: Database
    /// Next check time (12 bytes) + order number → empty: timers that survive restarts.
    let due: Database
    /// Audit sequence (8 bytes) → packed `AuditEntry`. Never trimmed or archived: the trail outlives orders.
    let audit: Database
    /// Target + 0x00 + audit sequence → empty: an order's (or gateway's) audit entries.
    let auditByTarget: Database

    /// Every database with its name, for statistics.
    var named: [(String, Database)] {
        Array(zip(StoreSchema.all, [orders, idempotency, byServicePoint, byStatus, events, devices, meta, due, audit, auditByTarget]))
    }
}

/// Key layouts. Every composite key starts with the part queries scan by, so each query is one range.
enum Keys {
    static func order(_ number: UInt64) -> [UInt8] { number.bigEndianBytes }

    static func idempotency(_ source: SourceSystem, _ sourceRequestID: String) -> [UInt8] {
        var key = sourcePrefix(source)
        key.append(contentsOf: sourceRequestID.utf8)
        return key
    }

    static func sourcePrefix(_ source: SourceSystem) -> [UInt8] { UInt32(bitPattern: source.rawValue).bigEndianBytes }

    static func servicePoint(_ servicePointID: String, _ number: UInt64) -> [UInt8] {
        var key = servicePointPrefix(servicePointID)
        key.appendBigEndian(number)
        return key
    }

    static func servicePointPrefix(_ servicePointID: String) -> [UInt8] {
        var key = Array(servicePointID.utf8)
        key.append(0)
        return key
    }

    static func servicePointValue(_ status: OrderStatus) -> [UInt8] { [UInt8(truncatingIfNeeded: status.rawValue)] }

    /// False only when a by-service-point value says the order is terminal.
    static func mayBeOpen(servicePointValue value: [UInt8]) -> Bool {
        guard let byte = value.first else { return true }
        return !OrderStatus(rawValue: Int32(byte)).isTerminal
    }

    static func status(_ status: OrderStatus, _ number: UInt64) -> [UInt8] {
        var key: [UInt8] = [UInt8(truncatingIfNeeded: status.rawValue)]
        key.appendBigEndian(number)
        return key
    }

    static func event(_ sequence: UInt64) -> [UInt8] { sequence.bigEndianBytes }

    /// Seconds (offset so negative times sort first) and nanos, big-endian, then the order number.
    static func due(_ time: Timestamp, _ number: UInt64) -> [UInt8] {
        var key = duePrefix(time)
        key.appendBigEndian(number)
        return key
    }

    static func duePrefix(_ time: Timestamp) -> [UInt8] {
        var key = (UInt64(bitPattern: time.seconds) ^ (1 << 63)).bigEndianBytes
        key.appendBigEndian(UInt32(bitPattern: time.nanos))
        return key
    }

    static func device(_ servicePointID: String) -> [UInt8] { Array(servicePointID.utf8) }

    static func auditTarget(_ target: String, _ sequence: UInt64) -> [UInt8] {
        var key = servicePointPrefix(target)
        key.appendBigEndian(sequence)
        return key
    }

    /// The order number at the end of an index key (its last 8 bytes).
    static func trailingNumber(_ key: [UInt8]) -> UInt64? {
        guard key.count >= 8 else { return nil }
        return UInt64(bigEndianBytes: key.suffix(8))
    }
}

extension OrderStatus {
    /// Terminal statuses leave the open-orders index and refuse cancels.
    public var isTerminal: Bool {
        switch self {
        case .completed, .cancelled, .failed, .superseded, .rejected: return true
        default: return false
        }
    }
}
