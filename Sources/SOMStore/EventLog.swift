public import SOMCodec

import SOMLMDB

/// A run of consecutive events read from the log.
public struct EventPage: Sendable {
    /// (sequence, packed `OrderEvent`) in sequence order.
    public var events: [(sequence: UInt64, bytes: [UInt8])]
    /// The lowest sequence number still kept when the page was read.
    public var floor: UInt64
}

extension OrderStore {
    /// Up to `limit` events from `sequence` on, in one short read transaction (a watcher never
    /// pins a snapshot between pages, so LMDB can reuse freed pages).
    /// - Throws: `belowRetentionFloor` when `sequence` has been trimmed away.
    public func events(from sequence: UInt64, limit: Int) throws(StoreError) -> EventPage {
        let page = try read { txn -> EventPage in
            let floor = try Self.floor(txn, tables)
            var events: [(sequence: UInt64, bytes: [UInt8])] = []
            guard sequence >= floor else { return EventPage(events: [], floor: floor) }
            try txn.scan(in: tables.events, range: .from(Keys.event(sequence))) { key, value in
                events.append((UInt64(bigEndianBytes: key) ?? 0, value))
                return events.count < limit ? .continue : .stop
            }
            return EventPage(events: events, floor: floor)
        }
        guard sequence >= page.floor else { throw .belowRetentionFloor(requested: sequence, floor: page.floor) }
        return page
    }

    /// The events stamped at or after `since`, newest first, found by walking the log back from its
    /// head (events are stamped by the single writer in sequence order, so the walk stops at the
    /// first older one). For rebuilding short windows of facts at start, such as the cuts the
    /// mass-disconnect guardrail counts.
    public func events(since: Timestamp) throws(StoreError) -> [OrderEvent] {
        try read { txn in
            var events: [OrderEvent] = []
            try txn.scan(in: tables.events, reverse: true) { _, value in
                guard let event = try? OrderEvent(decoding: value) else { return .continue }
                guard let at = event.at, at >= since else { return .stop }
                events.append(event)
                return .continue
            }
            return events
        }
    }

    /// The events since `since` (newest first) of types `types` for orders of types `orderTypes`.
    /// Every other event is skipped from its top-level fields alone, not decoded: the guardrail's
    /// window at start reads only the few cuts among a busy hour's events.
    public func events(since: Timestamp, types: Set<OrderEventType>, orderTypes: Set<OrderType>) throws(StoreError) -> [OrderEvent] {
        let wantedTypes = Set(types.map { UInt64($0.rawValue) }), wantedOrders = Set(orderTypes.map { UInt64($0.rawValue) })
        return try read { txn in
            var events: [OrderEvent] = []
            try txn.scan(in: tables.events, reverse: true) { _, value in
                var type: UInt64 = 0, orderType: UInt64 = 0
                var at: Timestamp?
                let wellFormed = ProtoFieldScan.fields(value) { number, field in
                    switch (number, field) {
                    case (3, .varint(let v)): type = v
                    case (9, .varint(let v)): orderType = v
                    case (4, .bytes(let range)): at = Self.timestamp(value, range)
                    default: break
                    }
                    return true
                }
                guard wellFormed, let at else {
                    // Not readable this way: decode it as a whole (or skip it, as `events(since:)` does).
                    guard let event = try? OrderEvent(decoding: value), let at = event.at else { return .continue }
                    guard at >= since else { return .stop }
                    if types.contains(event.type), orderTypes.contains(event.orderType) { events.append(event) }
                    return .continue
                }
                guard at >= since else { return .stop }
                guard wantedTypes.contains(type), wantedOrders.contains(orderType), let event = try? OrderEvent(decoding: value) else {
                    return .continue
                }
                events.append(event)
                return .continue
            }
            return events
        }
    }

    /// A google.protobuf.Timestamp's seconds and nanos from its payload in `bytes`.
    private static func timestamp(_ bytes: [UInt8], _ range: Range<Int>) -> Timestamp? {
        var seconds: Int64 = 0, nanos: Int32 = 0
        guard ProtoFieldScan.fields(bytes, in: range, { number, field in
            if case .varint(let v) = field {
                if number == 1 { seconds = Int64(bitPattern: v) } else if number == 2 { nanos = Int32(truncatingIfNeeded: v) }
            }
            return true
        }) else { return nil }
        return Timestamp(seconds: seconds, nanos: nanos)
    }

    /// The lowest sequence number still kept.
    public func eventFloor() throws(StoreError) -> UInt64 {
        try read { txn in try Self.floor(txn, tables) }
    }

    /// Deletes events below `sequence` (never the newest one, so numbering continues after a
    /// restart) and raises the floor; watchers asking for older events then get an explicit error.
    /// Runs in transactions of at most `chunk` deletions, so intake never waits behind a long one.
    /// - Returns: how many events were deleted.
    @discardableResult
    public func trimEvents(below sequence: UInt64, chunk: Int = 10_000) async throws(StoreError) -> Int {
        let limit = min(sequence, head.current)
        var deleted = 0
        while true {
            let count = try await perform(weight: chunk) { txn, tables, _ in
                var keys: [[UInt8]] = []
                try txn.scan(in: tables.events, range: .upTo(Keys.event(limit))) { key, _ in
                    keys.append(key)
                    return keys.count < chunk ? .continue : .stop
                }
                for key in keys { try txn.delete(key, in: tables.events) }
                // The floor rises with every chunk, so a reader never sees a hole below it.
                let floor = keys.last.flatMap { UInt64(bigEndianBytes: $0) }.map { $0 + 1 } ?? limit
                let current = UInt64(bigEndianBytes: try txn.get(StoreSchema.eventFloorKey, in: tables.meta) ?? []) ?? 1
                try txn.put(max(current, keys.count < chunk ? limit : floor).bigEndianBytes, forKey: StoreSchema.eventFloorKey, in: tables.meta)
                return keys.count
            }
            deleted += count
            if count < chunk { return deleted }
        }
    }

    static func floor(_ txn: borrowing ReadTransaction, _ tables: Tables) throws -> UInt64 {
        guard let bytes = try txn.get(StoreSchema.eventFloorKey, in: tables.meta) else { return 1 }
        return UInt64(bigEndianBytes: bytes) ?? 1
    }
}
