public import SOMCodec
import SOMLMDB

/// How one submitted order fared against the idempotency key.
public enum IntakeOutcome: Sendable, Hashable {
    /// Stored as a new order.
    case accepted(Order)
    /// The key matched an order with the same request: that order, unchanged.
    case duplicate(Order)
    /// The key matched an order with a different request.
    case conflict(existingOrderID: String)
}

extension OrderStore {
    /// Stores new orders durably, in one group transaction, each checked against its idempotency
    /// key (source system, source request id), also against earlier items of the same call.
    ///
    /// Each template is a fully built order except what the writer assigns: the id, `receivedAt`,
    /// `updatedAt`, `version` and `lastEventSeq`. A `RECEIVED` event is appended for each new order.
    public func submit(_ templates: [Order]) async throws(StoreError) -> [IntakeOutcome] {
        try await submit(templates.map(IntakeItem.init))
    }

    /// `submit` of orders already encoded by the caller.
    public func submit(_ items: [IntakeItem]) async throws(StoreError) -> [IntakeOutcome] {
        let result: Result<[IntakeOutcome], StoreError> = await withCheckedContinuation { continuation in
            enqueueSubmit(items) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Queues `submit` without waiting: `completion` runs on the writer thread once durable. Writes
    /// queued by one caller commit in the order they were queued.
    public func enqueueSubmit(
        _ items: [IntakeItem], completion: @escaping @Sendable (Result<[IntakeOutcome], StoreError>) -> Void
    ) {
        enqueue(weight: max(1, items.count), urgent: true, { txn, tables, context in
            var outcomes: [IntakeOutcome] = []
            outcomes.reserveCapacity(items.count)
            for item in items {
                outcomes.append(try Self.insert(item, &txn, tables, &context))
            }
            return outcomes
        }, completion: completion)
    }

    static func insert(
        _ item: IntakeItem, _ txn: inout WriteTransaction, _ tables: Tables, _ context: inout WriteContext
    ) throws -> IntakeOutcome {
        let template = item.order
        let request = template.request ?? ServiceOrderRequest()
        let idempotencyKey = Keys.idempotency(request.sourceSystem, request.sourceRequestID)
        if let existing = try txn.get(idempotencyKey, in: tables.idempotency) {
            let number = UInt64(bigEndianBytes: existing) ?? 0
            guard let bytes = try txn.get(Keys.order(number), in: tables.orders) else {
                throw StoreError.storage("idempotency entry points at missing order \(OrderNumber.string(number))")
            }
            let stored = try Order(decoding: bytes)
            return stored.request == template.request ? .duplicate(stored) : .conflict(existingOrderID: stored.orderID)
        }
        let number = context.takeOrderNumber()
        let sequence = context.takeSequence()
        var order = template
        order.orderID = OrderNumber.string(number)
        order.receivedAt = context.now
        order.updatedAt = context.now
        order.version = 1
        order.lastEventSeq = sequence
        var stored = item.encoded
        IntakeRecords.appendAssigned(orderID: order.orderID, at: context.now, sequence: sequence, to: &stored)
        let event = IntakeRecords.receivedEvent(
            sequence: sequence, orderID: order.orderID, at: context.now, status: order.status,
            subStatus: order.subStatus, request: request)
        try txn.put(stored, forKey: Keys.order(number), in: tables.orders, flags: .append)
        try txn.put(number.bigEndianBytes, forKey: idempotencyKey, in: tables.idempotency)
        try txn.put(Keys.servicePointValue(order.status), forKey: Keys.servicePoint(request.servicePointID, number), in: tables.byServicePoint)
        if !order.status.isTerminal {
            try txn.put(EmptyValue.bytes, forKey: Keys.status(order.status, number), in: tables.byStatus)
            context.countOpen(order.status, 1)
        }
        try txn.put(event, forKey: Keys.event(sequence), in: tables.events, flags: .append)
        return .accepted(order)
    }
}

/// Index entries carry everything in the key.
enum EmptyValue {
    static let bytes: [UInt8] = []
}
