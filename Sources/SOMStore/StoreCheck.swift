public import SOMLMDB
import SOMCodec

/// `somd check`: a read-only walk of a data directory that says whether it is consistent.
///
/// First the file's structure (every page of every tree, read with bounds checks by
/// ``DataFileCheck``, so a damaged file is reported, not crashed on); then, only if that is sound,
/// the store's own rules through liblmdb: every order has its idempotency, service-point and (when
/// open) status entries and each of them points back; every index entry names an existing order in
/// the state it says; the event log is gapless above the retention floor. Safe beside a running
/// somd: it opens the environment read-only and reads one snapshot.
public struct StoreCheck: Sendable {
    /// What the check found.
    public struct Report: Sendable {
        /// The structure walk's outcome.
        public var structure: DataFileCheck.Outcome
        /// Broken rules, at most `limit` of them.
        public var problems: [String] = []
        /// Orders, index entries and events examined.
        public var orders = 0, indexEntries = 0, events = 0
        /// True when nothing is wrong.
        public var consistent: Bool {
            guard problems.isEmpty else { return false }
            if case .damaged = structure { return false }
            return true
        }
    }

    /// The data directory.
    public let directory: String
    /// Stop listing problems after this many.
    public var limit = 100

    /// A check of `directory`.
    public init(directory: String) { self.directory = directory }

    /// Opens the store read-only and counts its orders (the quick proof that a copy opens).
    public func countOrders() throws -> Int {
        let environment = try Environment(
            path: directory, options: .init(mapSize: 1 << 20, maxDatabases: 16, maxReaders: 8, flags: [.readOnly]))
        defer { environment.close() }
        var count = 0
        for name in StoreSchema.all where !StoreSchema.createdOnUpgrade.contains(name) {
            let database = try environment.openDatabase(name: name)
            if name == StoreSchema.orders { count = try environment.read { txn in try txn.stat(of: database).entries } }
        }
        return count
    }

    /// Runs the whole check.
    public func run() -> Report {
        var report = Report(structure: DataFileCheck(directory: directory).run(.full))
        switch report.structure {
        case .damaged, .empty: return report
        case .sound: break
        }
        do {
            let environment = try Environment(
                path: directory, options: .init(mapSize: 1 << 20, maxDatabases: 16, maxReaders: 8, flags: [.readOnly]))
            defer { environment.close() }
            var tables: [String: Database] = [:]
            for name in StoreSchema.all {
                do {
                    tables[name] = try environment.openDatabase(name: name)
                } catch where !StoreSchema.createdOnUpgrade.contains(name) {
                    report.problems.append("database \(name) is missing (\(error))")
                } catch {}
            }
            guard report.problems.isEmpty else { return report }
            try environment.read { txn in
                var walk = Walk(tables: tables, limit: limit)
                try walk.orders(txn)
                try walk.indexes(txn)
                try walk.events(txn)
                report.problems += walk.problems
                report.orders = walk.orders
                report.indexEntries = walk.indexEntries
                report.events = walk.events
            }
        } catch {
            report.problems.append("cannot read the store: \(error)")
        }
        return report
    }
}

/// One snapshot's consistency walk.
private struct Walk {
    let tables: [String: Database]
    let limit: Int
    var problems: [String] = []
    var orders = 0, indexEntries = 0, events = 0

    private func table(_ name: String) -> Database { tables[name]! }

    mutating func report(_ problem: String) {
        if problems.count < limit { problems.append(problem) }
    }

    /// Each order, and the entries it must have.
    mutating func orders(_ txn: borrowing ReadTransaction) throws {
        try txn.scan(in: table(StoreSchema.orders)) { key, value in
            let number = UInt64(bigEndianBytes: key) ?? 0
            let order = (try? Order(decoding: value)) ?? Order()
            orders += 1
            let id = OrderNumber.string(number)
            guard let request = order.request, order.orderID == id else {
                report("order \(id): unreadable, or stored under another id (\(order.orderID))")
                return .continue
            }
            let idempotency = try txn.get(Keys.idempotency(request.sourceSystem, request.sourceRequestID), in: table(StoreSchema.idempotency))
            if idempotency.flatMap({ UInt64(bigEndianBytes: $0) }) != number {
                report("order \(id): its idempotency key (\(request.sourceRequestID)) does not point to it")
            }
            let servicePoint = try txn.get(Keys.servicePoint(request.servicePointID, number), in: table(StoreSchema.byServicePoint))
            if servicePoint == nil {
                report("order \(id): no by-service-point entry for \(request.servicePointID)")
            } else if let value = servicePoint, let byte = value.first, Int32(byte) != order.status.rawValue {
                report("order \(id): the by-service-point entry says status \(byte), the order \(order.status.rawValue)")
            }
            let open = try txn.get(Keys.status(order.status, number), in: table(StoreSchema.byStatus)) != nil
            if open == order.status.isTerminal {
                report("order \(id): \(order.status) but \(open ? "listed" : "not listed") among open orders")
            }
            if let next = order.nextCheckAt, try txn.get(Keys.due(next, number), in: table(StoreSchema.due)) == nil {
                report("order \(id): its next check time has no timer entry")
            }
            return .continue
        }
    }

    /// Every index entry names an existing order in the state it says.
    mutating func indexes(_ txn: borrowing ReadTransaction) throws {
        try txn.scan(in: table(StoreSchema.idempotency)) { key, value in
            let number = UInt64(bigEndianBytes: value) ?? 0
            indexEntries += 1
            guard let order = try order(number, txn) else {
                report("an idempotency entry names order \(OrderNumber.string(number)), which does not exist")
                return .continue
            }
            if let request = order.request, Keys.idempotency(request.sourceSystem, request.sourceRequestID) != key {
                report("an idempotency entry names order \(order.orderID), whose key is different")
            }
            return .continue
        }
        for (name, check) in [(StoreSchema.byServicePoint, "by-service-point"), (StoreSchema.byStatus, "open-orders"), (StoreSchema.due, "timer")] {
            try txn.scan(in: table(name)) { key, _ in
                let number = Keys.trailingNumber(key) ?? 0
                indexEntries += 1
                if try txn.get(Keys.order(number), in: table(StoreSchema.orders)) == nil {
                    report("a \(check) entry names order \(OrderNumber.string(number)), which does not exist")
                }
                return .continue
            }
        }
    }

    /// The event log has no gap between the floor (or its first event) and its last event.
    mutating func events(_ txn: borrowing ReadTransaction) throws {
        var expected: UInt64?
        let floor = try txn.get(StoreSchema.eventFloorKey, in: table(StoreSchema.meta)).flatMap { UInt64(bigEndianBytes: $0) }
        var gaps: [(UInt64, UInt64)] = []
        var first: UInt64?
        var count = 0
        try txn.scan(in: table(StoreSchema.events)) { key, _ in
            let sequence = UInt64(bigEndianBytes: key) ?? 0
            if first == nil { first = sequence }
            if let want = expected, sequence != want { gaps.append((want, sequence)) }
            expected = sequence + 1
            count += 1
            return .continue
        }
        events = count
        if let first, first > (floor ?? 1) {
            report("the event log starts at \(first), above its floor \(floor ?? 1): events \(floor ?? 1)...\(first - 1) are missing")
        }
        for (want, got) in gaps {
            report("the event log jumps from \(want - 1) to \(got)")
        }
    }

    private func order(_ number: UInt64, _ txn: borrowing ReadTransaction) throws -> Order? {
        guard let bytes = try txn.get(Keys.order(number), in: table(StoreSchema.orders)) else { return nil }
        return try? Order(decoding: bytes)
    }
}
