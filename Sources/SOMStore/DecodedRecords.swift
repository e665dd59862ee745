import DequeModule
import SOMCodec

/// Orders and devices the writer decoded or wrote lately, kept decoded beside the exact bytes they
/// came from, so the next step about the same order does not decode what was written a moment ago.
///
/// A cached value is used only when the bytes read from the transaction equal the cached bytes, so
/// the cache can never answer with something the store does not hold: a write whose transaction
/// was aborted or rerun leaves an entry that simply stops matching. Comparing ~1 KiB costs far less
/// than protobuf-c's unpack plus the conversion to Swift values (the largest single cost of a step
/// in the e2e profile).
///
/// Writer thread only: `@unchecked Sendable` because `WriteContext` carries it into the writes
/// the writer applies, never to another thread.
final class DecodedRecords: @unchecked Sendable {
    private var orders: [UInt64: (bytes: [UInt8], order: Order)] = [:]
    private var orderArrivals = Deque<UInt64>()
    private var devices: [String: (bytes: [UInt8], device: ServicePointDevice)] = [:]
    private var deviceArrivals = Deque<String>()
    /// Most entries kept of each kind; the oldest arrivals go first.
    let capacity: Int

    /// Reads that were answered from the cache and reads that decoded, for tests and tuning.
    private(set) var hits = 0
    private(set) var misses = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The order stored as `bytes`: the cached value when it came from these very bytes, else decoded
    /// (and remembered). Nil when the bytes do not decode.
    func order(_ number: UInt64, bytes: [UInt8]) -> Order? {
        if let cached = orders[number], cached.bytes == bytes {
            hits += 1
            return cached.order
        }
        misses += 1
        guard let order = try? Order(decoding: bytes) else { return nil }
        remember(order, number: number, bytes: bytes)
        return order
    }

    /// Keeps `order` as the decoded form of `bytes`; a finished order is dropped instead, since no
    /// later decision reads it.
    func remember(_ order: Order, number: UInt64, bytes: [UInt8]) {
        guard capacity > 0 else { return }
        if order.status.isTerminal {
            orders[number] = nil
            return
        }
        if orders.updateValue((bytes, order), forKey: number) == nil {
            orderArrivals.append(number)
            Self.evict(&orders, &orderArrivals, capacity: capacity)
        }
    }

    /// The device stored as `bytes` for `servicePointID`, as `order(_:bytes:)` does for orders.
    func device(_ servicePointID: String, bytes: [UInt8]) -> ServicePointDevice? {
        if let cached = devices[servicePointID], cached.bytes == bytes {
            hits += 1
            return cached.device
        }
        misses += 1
        guard let device = try? ServicePointDevice(decoding: bytes) else { return nil }
        remember(device, bytes: bytes)
        return device
    }

    /// Keeps `device` as the decoded form of `bytes`.
    func remember(_ device: ServicePointDevice, bytes: [UInt8]) {
        guard capacity > 0 else { return }
        if devices.updateValue((bytes, device), forKey: device.servicePointID) == nil {
            deviceArrivals.append(device.servicePointID)
            Self.evict(&devices, &deviceArrivals, capacity: capacity)
        }
    }

    /// Drops the oldest arrivals beyond `capacity`. Arrivals of entries already dropped (finished
    /// orders) are skipped as they come up, and pruned when they outnumber the live entries, so the
    /// arrival queue stays bounded too.
    private static func evict<Key: Hashable, Value>(_ entries: inout [Key: Value], _ arrivals: inout Deque<Key>, capacity: Int) {
        while entries.count > capacity, let oldest = arrivals.popFirst() {
            entries[oldest] = nil
        }
        if arrivals.count > 2 * capacity {
            var seen = Set<Key>()
            arrivals = Deque(arrivals.reversed().filter { entries[$0] != nil && seen.insert($0).inserted }.reversed())
        }
    }
}
