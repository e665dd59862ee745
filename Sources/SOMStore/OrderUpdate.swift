public import SOMCodec
import SOMLMDB

extension OrderStore {
    /// Changes one order durably: `change` sees the stored order and the transaction's time, edits
    /// it, and returns the events that describe the change (the store fills in sequence, time, order
    /// id, service point, source and type). Indexes follow the new status; `version`, `updatedAt` and
    /// `lastEventSeq` are maintained here.
    ///
    /// `change` runs on the writer thread and must be quick and pure; throwing from it leaves the
    /// order untouched and fails only this call.
    public func update(
        orderID: String,
        _ change: @escaping @Sendable (inout Order, Timestamp) throws(StoreError) -> [OrderEvent]
    ) async throws(StoreError) -> Order {
        guard let number = OrderNumber.number(orderID) else { throw .notFound("order \(orderID)") }
        let result: Result<Order, StoreError> = try await perform(weight: 1) { txn, tables, context in
            guard let bytes = try txn.get(Keys.order(number), in: tables.orders) else {
                return .failure(.notFound("order \(orderID)"))
            }
            guard var order = context.order(number, bytes: bytes) else {
                return .failure(.storage("stored order \(orderID) is unreadable"))
            }
            let before = order
            let events: [OrderEvent]
            do throws(StoreError) {
                events = try change(&order, context.now)
            } catch {
                return .failure(error)
            }
            try Self.write(order: &order, number: number, previous: before, events: events, &txn, tables, &context)
            return .success(order)
        }
        return try result.get()
    }

    /// Stores a changed order with its events and moves its open-status and due-time index entries.
    static func write(
        order: inout Order, number: UInt64, previous: Order, events: [OrderEvent],
        _ txn: inout WriteTransaction, _ tables: Tables, _ context: inout WriteContext
    ) throws {
        let request = order.request ?? ServiceOrderRequest()
        order.version += 1
        order.updatedAt = context.now
        for var event in events {
            event.sequence = context.takeSequence()
            event.orderID = order.orderID
            event.at = context.now
            event.sourceSystem = request.sourceSystem
            event.servicePointID = request.servicePointID
            event.orderType = request.orderType
            if event.status == .unspecified { event.status = order.status }
            if event.subStatus == .unspecified { event.subStatus = order.subStatus }
            order.lastEventSeq = event.sequence
            try txn.put(event.encoded(), forKey: Keys.event(event.sequence), in: tables.events, flags: .append)
        }
        if previous.nextCheckAt != order.nextCheckAt {
            if let old = previous.nextCheckAt { try txn.delete(Keys.due(old, number), in: tables.due) }
            if let new = order.nextCheckAt { try txn.put(EmptyValue.bytes, forKey: Keys.due(new, number), in: tables.due) }
        }
        let previousStatus = previous.status
        if previousStatus != order.status {
            try txn.put(Keys.servicePointValue(order.status), forKey: Keys.servicePoint(request.servicePointID, number), in: tables.byServicePoint)
            if !previousStatus.isTerminal {
                try txn.delete(Keys.status(previousStatus, number), in: tables.byStatus)
            }
            if !order.status.isTerminal {
                try txn.put(EmptyValue.bytes, forKey: Keys.status(order.status, number), in: tables.byStatus)
            }
            context.countOpen(previousStatus, -1)
            context.countOpen(order.status, 1)
        }
        let bytes = order.encoded()
        try txn.put(bytes, forKey: Keys.order(number), in: tables.orders)
        context.decoded?.remember(order, number: number, bytes: bytes)
    }
}
