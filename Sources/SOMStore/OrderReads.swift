public import SOMCodec
import SOMLMDB

extension OrderStore {
    /// The stored bytes of an order (a packed `Order`), exactly as written.
    public func orderBytes(_ orderID: String) throws(StoreError) -> [UInt8] {
        guard let number = OrderNumber.number(orderID) else { throw .notFound("order \(orderID)") }
        let bytes = try read { txn in try txn.get(Keys.order(number), in: tables.orders) }
        guard let bytes else { throw .notFound("order \(orderID)") }
        return bytes
    }

    /// An order, decoded.
    public func order(_ orderID: String) throws(StoreError) -> Order {
        let bytes = try orderBytes(orderID)
        do { return try Order(decoding: bytes) } catch {
            throw .storage("stored order \(orderID) is unreadable: \(error)")
        }
    }

    /// The id of the order holding an idempotency key, if any.
    public func orderID(source: SourceSystem, sourceRequestID: String) throws(StoreError) -> String? {
        let number = try read { txn in try txn.get(Keys.idempotency(source, sourceRequestID), in: tables.idempotency) }
        return number.flatMap { UInt64(bigEndianBytes: $0) }.map(OrderNumber.string)
    }

    /// Counts for `somctl stats`: orders in total and open orders per status.
    public func counts() throws(StoreError) -> StoreCounts {
        let open = openCounts
        return try read { txn in
            StoreCounts(
                orders: try txn.count(in: tables.orders), openByStatus: open,
                devices: try txn.count(in: tables.devices), events: try txn.count(in: tables.events))
        }
    }
}

/// Record counts of the store.
public struct StoreCounts: Sendable, Hashable {
    /// Orders ever accepted.
    public var orders: Int
    /// Non-terminal orders per status.
    public var openByStatus: [OrderStatus: Int]
    /// Service points with a device record.
    public var devices: Int
    /// Events kept in the log.
    public var events: Int
}
