public import SOMCodec
import SOMLMDB

extension OrderStore {
    /// Records a request that cancels an existing order (`cancels_source_request_id`) under its own
    /// idempotency key, naming the order it cancelled: a retry of it finds that order instead of
    /// creating one, and a later order reusing the key is a conflict. No new order is written.
    /// - Returns: the order the key names now: `orderID`, or the order it already named.
    public func recordCancellingRequest(source: SourceSystem, sourceRequestID: String, cancels orderID: String) async throws(StoreError) -> String {
        guard let number = OrderNumber.number(orderID) else { throw .notFound("order \(orderID)") }
        let key = Keys.idempotency(source, sourceRequestID)
        return try await perform(weight: 1) { txn, tables, _ in
            if let existing = try txn.get(key, in: tables.idempotency) {
                return OrderNumber.string(UInt64(bigEndianBytes: existing) ?? 0)
            }
            try txn.put(number.bigEndianBytes, forKey: key, in: tables.idempotency)
            return orderID
        }
    }
}
