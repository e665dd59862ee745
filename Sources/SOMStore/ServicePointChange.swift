public import SOMCodec
import SOMLMDB

/// What the orchestrator sees of one service point when it decides about one of its orders.
public struct ServicePointSnapshot: Sendable {
    /// The order being decided.
    public var order: Order
    /// The service point's device record, if the server has one.
    public var device: ServicePointDevice?
    /// The other non-terminal orders on the same service point, in intake order.
    public var otherOpenOrders: [Order]
    /// What the decisions committed before this one in the same transaction added to their
    /// counters (`ServicePointChanges.tally`): not yet in any caller's view of committed facts.
    public var tally: [String: Int] = [:]
}

/// What a decision changes at one service point; applied atomically with the snapshot it was made from.
public struct ServicePointChanges: Sendable {
    /// Changed orders (the decided one and any others on the service point) with the events that
    /// describe each change. The store maintains version, updatedAt, lastEventSeq and the indexes.
    public var orders: [(order: Order, events: [OrderEvent])]
    /// The device record to store, when the decision changed it.
    public var device: ServicePointDevice?
    /// Counts this change adds for the later decisions of its transaction (e.g. cuts the
    /// mass-disconnect guardrail must see before they are committed).
    public var tally: [String: Int]
    /// Audit entries of the operator action that caused this change, recorded with it.
    public var audit: [AuditEntry]

    /// Creates a change set.
    public init(orders: [(order: Order, events: [OrderEvent])] = [], device: ServicePointDevice? = nil, tally: [String: Int] = [:], audit: [AuditEntry] = []) {
        self.orders = orders
        self.device = device
        self.tally = tally
        self.audit = audit
    }
}

extension OrderStore {
    /// Decides about one order inside the writer's transaction: reads the order, its service point's
    /// device and the other open orders there, calls `decide`, and stores what it returns, all in one
    /// commit. Because the single writer runs these one after another, two decisions about the same
    /// service point never interleave: "one order at a time per service point" holds by construction.
    ///
    /// `decide` runs on the writer thread: it must be pure and quick (the orchestrator's step function).
    /// Throwing from it changes nothing and fails only this call.
    /// - Returns: the stored orders (with their new versions) and device.
    public func change(
        orderID: String,
        _ decide: @escaping @Sendable (ServicePointSnapshot, Timestamp) throws(StoreError) -> ServicePointChanges
    ) async throws(StoreError) -> ServicePointChanges {
        try await change(orderID: orderID) { snapshot, now throws(StoreError) in (try decide(snapshot, now), ()) }.0
    }

    /// `change` whose decision also returns a value of its own (e.g. the orchestrator's whole
    /// decision, whose follow-up work the caller carries out after the commit).
    public func change<Extra: Sendable>(
        orderID: String,
        _ decide: @escaping @Sendable (ServicePointSnapshot, Timestamp) throws(StoreError) -> (ServicePointChanges, Extra)
    ) async throws(StoreError) -> (ServicePointChanges, Extra) {
        let results = try await changeMany(orderIDs: [orderID]) { _, snapshot, now throws(StoreError) in try decide(snapshot, now) }
        return try results[0].get()
    }

    /// Decides about many orders in one group transaction, one after another (each sees the
    /// changes of the ones before it). A decision that fails leaves its order alone and fails only
    /// its own entry of the result. `decide` gets the index of the order in `orderIDs`.
    ///
    /// `decide` may run more than once (LMDB map growth reruns the transaction), so it must not
    /// change anything outside. What must follow the commit goes in `committed`: it runs on the
    /// writer thread once the results are durable, before any later transaction starts, so what it
    /// records is seen by every later decision.
    public func changeMany<Extra: Sendable>(
        orderIDs: [String],
        _ decide: @escaping @Sendable (Int, ServicePointSnapshot, Timestamp) throws(StoreError) -> (ServicePointChanges, Extra),
        committed: (@Sendable ([Result<(ServicePointChanges, Extra), StoreError>]) -> Void)? = nil
    ) async throws(StoreError) -> [Result<(ServicePointChanges, Extra), StoreError>] {
        let result: Result<[Result<(ServicePointChanges, Extra), StoreError>], StoreError> = await withCheckedContinuation { continuation in
            enqueue(weight: max(1, orderIDs.count), { txn, tables, context in
                var results: [Result<(ServicePointChanges, Extra), StoreError>] = []
                results.reserveCapacity(orderIDs.count)
                for (index, orderID) in orderIDs.enumerated() {
                    results.append(try Self.change(orderID, { snapshot, now throws(StoreError) in try decide(index, snapshot, now) }, &txn, tables, &context))
                }
                return results
            }, completion: { result in
                if case .success(let results) = result { committed?(results) }
                continuation.resume(returning: result)
            })
        }
        return try result.get()
    }

    static func change<Extra: Sendable>(
        _ orderID: String,
        _ decide: @Sendable (ServicePointSnapshot, Timestamp) throws(StoreError) -> (ServicePointChanges, Extra),
        _ txn: inout WriteTransaction, _ tables: Tables, _ context: inout WriteContext
    ) throws -> Result<(ServicePointChanges, Extra), StoreError> {
        guard let number = OrderNumber.number(orderID) else { return .failure(.notFound("order \(orderID)")) }
        guard let bytes = try txn.get(Keys.order(number), in: tables.orders), let order = context.order(number, bytes: bytes) else {
            return .failure(.notFound("order \(orderID)"))
        }
        let servicePointID = order.request?.servicePointID ?? ""
        let device = try txn.get(Keys.device(servicePointID), in: tables.devices).flatMap { context.device(servicePointID, bytes: $0) }
        var others: [Order] = []
        try txn.scan(in: tables.byServicePoint, range: .prefix(Keys.servicePointPrefix(servicePointID))) { key, value in
            // Finished orders are skipped on the index's status byte, without decoding them.
            if Keys.mayBeOpen(servicePointValue: value), let other = Keys.trailingNumber(key), other != number,
               let bytes = try txn.get(Keys.order(other), in: tables.orders), let decoded = context.order(other, bytes: bytes),
               !decoded.status.isTerminal {
                others.append(decoded)
            }
            return .continue
        }
        let snapshot = ServicePointSnapshot(order: order, device: device, otherOpenOrders: others, tally: context.tally)
        let changes: ServicePointChanges
        let extra: Extra
        do throws(StoreError) {
            (changes, extra) = try decide(snapshot, context.now)
        } catch {
            return .failure(error)
        }
        // Check every changed order before writing any, so a refused change writes nothing.
        var previousOrders: [(UInt64, Order)] = []
        for (changed, _) in changes.orders {
            guard let changedNumber = OrderNumber.number(changed.orderID) else { return .failure(.notFound("order \(changed.orderID)")) }
            let previous = changedNumber == number ? order : others.first { $0.orderID == changed.orderID }
            guard let previous else {
                return .failure(.failedPrecondition("order \(changed.orderID) is not an open order on service point \(servicePointID)"))
            }
            previousOrders.append((changedNumber, previous))
        }
        var stored = ServicePointChanges()
        for ((changed, events), (changedNumber, previous)) in zip(changes.orders, previousOrders) {
            var copy = changed
            try write(order: &copy, number: changedNumber, previous: previous, events: events, &txn, tables, &context)
            stored.orders.append((copy, events))
        }
        if var newDevice = changes.device {
            newDevice.version = (device?.version ?? 0) + 1
            newDevice.updatedAt = context.now
            let bytes = newDevice.encoded()
            try txn.put(bytes, forKey: Keys.device(newDevice.servicePointID), in: tables.devices)
            context.decoded?.remember(newDevice, bytes: bytes)
            stored.device = newDevice
        }
        for (key, count) in changes.tally { context.tally[key, default: 0] += count }
        stored.tally = changes.tally
        for entry in changes.audit { stored.audit.append(try appendAudit(entry, &txn, tables, context)) }
        return .success((stored, extra))
    }

    /// Ids of orders whose next check time is at or before `time`, earliest first.
    public func dueOrders(until time: Timestamp, limit: Int) throws(StoreError) -> [String] {
        try read { txn in
            var ids: [String] = []
            try txn.scan(in: tables.due, range: .through(Keys.due(time, UInt64.max))) { key, _ in
                if let number = Keys.trailingNumber(key) { ids.append(OrderNumber.string(number)) }
                return ids.count < limit ? .continue : .stop
            }
            return ids
        }
    }

    /// The earliest next check time of any order, if one is set.
    public func nextDueTime() throws(StoreError) -> Timestamp? {
        try read { txn in
            var first: Timestamp?
            try txn.scan(in: tables.due) { key, _ in
                guard key.count >= 12, let biased = UInt64(bigEndianBytes: key.prefix(8)), let nanos = UInt32(bigEndianBytes: key[8..<12]) else {
                    return .stop
                }
                first = Timestamp(seconds: Int64(bitPattern: biased ^ (1 << 63)), nanos: Int32(bitPattern: nanos))
                return .stop
            }
            return first
        }
    }

    /// Calls `body` with every open order with `status`, a page at a time (each page its own short
    /// read transaction, so a long walk never pins a snapshot).
    public func forEachOpenOrder(status: OrderStatus, pageSize: Int = 1000, _ body: ([Order]) throws -> Void) throws {
        var after: String?
        while true {
            let page = try openOrders(status: status, after: after, limit: pageSize)
            guard let last = page.last else { return }
            after = last.orderID
            try body(page)
        }
    }

    /// Ids of every open order with `status`, from the status index alone (nothing decoded).
    public func openOrderIDs(status: OrderStatus) throws(StoreError) -> [String] {
        try openOrderIDs(status: status, after: nil, limit: Int.max)
    }

    /// Ids of open orders with `status` in id order, at most `limit` after `afterOrderID`.
    public func openOrderIDs(status: OrderStatus, after afterOrderID: String?, limit: Int) throws(StoreError) -> [String] {
        guard !status.isTerminal, limit > 0 else { return [] }
        let after = afterOrderID.flatMap(OrderNumber.number).map { Keys.status(status, $0) }
        return try read { txn in
            var ids: [String] = []
            try txn.scan(in: tables.byStatus, range: .prefix([UInt8(truncatingIfNeeded: status.rawValue)], after: after)) { key, _ in
                if let number = Keys.trailingNumber(key) { ids.append(OrderNumber.string(number)) }
                return ids.count < limit ? .continue : .stop
            }
            return ids
        }
    }

    /// Every open order with `status`, in id order, by pages of `limit` after `afterOrderID`.
    public func openOrders(status: OrderStatus, after afterOrderID: String?, limit: Int) throws(StoreError) -> [Order] {
        try openOrders(status: status, after: afterOrderID, limit: limit, withDevices: false).map(\.order)
    }

    /// As `openOrders(status:after:limit:)`, each with its service point's device read in the same
    /// transaction (the queues' rebuild at start needs both for every open order).
    public func openOrdersWithDevices(status: OrderStatus, after afterOrderID: String?, limit: Int) throws(StoreError)
        -> [(order: Order, device: ServicePointDevice?)] {
        try openOrders(status: status, after: afterOrderID, limit: limit, withDevices: true)
    }

    private func openOrders(status: OrderStatus, after afterOrderID: String?, limit: Int, withDevices: Bool) throws(StoreError)
        -> [(order: Order, device: ServicePointDevice?)] {
        guard !status.isTerminal else { return [] }
        let prefix = [UInt8(truncatingIfNeeded: status.rawValue)]
        let after = afterOrderID.flatMap(OrderNumber.number).map { Keys.status(status, $0) }
        return try read { txn in
            var found: [(order: Order, device: ServicePointDevice?)] = []
            try txn.scan(in: tables.byStatus, range: .prefix(prefix, after: after)) { key, _ in
                if let number = Keys.trailingNumber(key), let bytes = try txn.get(Keys.order(number), in: tables.orders),
                   let order = try? Order(decoding: bytes) {
                    var device: ServicePointDevice?
                    if withDevices, let point = order.request?.servicePointID,
                       let stored = try txn.get(Keys.device(point), in: tables.devices) {
                        device = try? ServicePointDevice(decoding: stored)
                    }
                    found.append((order, device))
                }
                return found.count < limit ? .continue : .stop
            }
            return found
        }
    }
}

extension OrderStore {
    /// Ids of the non-terminal orders on each of `servicePointIDs` (one short read transaction).
    public func openOrderIDs(servicePointIDs: [String]) throws(StoreError) -> [String] {
        try read { txn in
            var ids: [String] = []
            for servicePointID in Set(servicePointIDs) {
                try txn.scan(in: tables.byServicePoint, range: .prefix(Keys.servicePointPrefix(servicePointID))) { key, value in
                    if Keys.mayBeOpen(servicePointValue: value), let number = Keys.trailingNumber(key),
                       let bytes = try txn.get(Keys.order(number), in: tables.orders),
                       let order = try? Order(decoding: bytes), !order.status.isTerminal {
                        ids.append(order.orderID)
                    }
                    return .continue
                }
            }
            return ids
        }
    }
}
