public import SOMCodec
import SOMLMDB

/// A page of the audit trail.
public struct AuditPage: Sendable {
    /// Entries in sequence order.
    public var entries: [AuditEntry]
    /// The sequence to continue after; nil when there are no more.
    public var next: UInt64?
}

extension OrderStore {
    /// Appends `entry` inside a write transaction: the next audit sequence, stamped with the
    /// transaction's time. Writers call it in the transaction of the action it records, so an
    /// action is never durable without its entry, nor an entry without its action.
    @discardableResult
    static func appendAudit(_ entry: AuditEntry, _ txn: inout WriteTransaction, _ tables: Tables, _ context: WriteContext) throws -> AuditEntry {
        var last: UInt64 = 0
        try txn.scan(in: tables.audit, reverse: true) { key, _ in
            last = UInt64(bigEndianBytes: key) ?? 0
            return .stop
        }
        var stored = entry
        stored.sequence = last + 1
        stored.at = context.now
        try txn.put(stored.encoded(), forKey: Keys.event(stored.sequence), in: tables.audit)
        if !stored.target.isEmpty {
            try txn.put(EmptyValue.bytes, forKey: Keys.auditTarget(stored.target, stored.sequence), in: tables.auditByTarget)
        }
        return stored
    }

    /// Up to `limit` audit entries after sequence `after`, in sequence order; only those about
    /// `target` when it is given, only those stamped at or after `since` when it is given.
    public func auditEntries(target: String?, since: Timestamp?, after: UInt64 = 0, limit: Int) throws(StoreError) -> AuditPage {
        try read { txn in
            var entries: [AuditEntry] = []
            var more = false
            func take(_ bytes: [UInt8]) -> Bool {
                guard let entry = try? AuditEntry(decoding: bytes) else { return true }
                if let since, let at = entry.at, at < since { return true }
                guard entries.count < limit else {
                    more = true
                    return false
                }
                entries.append(entry)
                return true
            }
            if let target {
                let prefix = Keys.servicePointPrefix(target)
                try txn.scan(in: tables.auditByTarget, range: .prefix(prefix, after: Keys.auditTarget(target, after))) { key, _ in
                    guard let sequence = Keys.trailingNumber(key), let bytes = try txn.get(Keys.event(sequence), in: tables.audit) else { return .continue }
                    return take(bytes) ? .continue : .stop
                }
            } else {
                try txn.scan(in: tables.audit, range: .from(Keys.event(after + 1))) { _, value in
                    take(value) ? .continue : .stop
                }
            }
            return AuditPage(entries: entries, next: more ? entries.last?.sequence : nil)
        }
    }
}
