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
    private var orders: DecodedValues<UInt64, Order>
    private var devices: DecodedValues<String, ServicePointDevice>

    /// Reads that were answered from the cache and reads that decoded, for tests and tuning.
    var hits: Int { orders.hits + devices.hits }
    var misses: Int { orders.misses + devices.misses }

    /// Keeps at most `capacity` orders and as many devices.
    init(capacity: Int) {
        orders = DecodedValues(capacity: capacity)
        devices = DecodedValues(capacity: capacity)
    }

    /// The order stored as `bytes`: the cached value when it came from these very bytes, else decoded
    /// (and remembered). Nil when the bytes do not decode.
    func order(_ number: UInt64, bytes: [UInt8]) -> Order? {
        orders.value(for: number, bytes: bytes) { bytes in try? Order(decoding: bytes) }
    }

    /// Keeps `order` as the decoded form of `bytes`; a finished order is dropped instead, since no
    /// later decision reads it.
    func remember(_ order: Order, number: UInt64, bytes: [UInt8]) {
        if order.status.isTerminal {
            orders.forget(number)
        } else {
            orders.remember(order, for: number, bytes: bytes)
        }
    }

    /// The device stored as `bytes` for `servicePointID`, as `order(_:bytes:)` does for orders.
    func device(_ servicePointID: String, bytes: [UInt8]) -> ServicePointDevice? {
        devices.value(for: servicePointID, bytes: bytes) { bytes in try? ServicePointDevice(decoding: bytes) }
    }

    /// Keeps `device` as the decoded form of `bytes`.
    func remember(_ device: ServicePointDevice, bytes: [UInt8]) {
        devices.remember(device, for: device.servicePointID, bytes: bytes)
    }
}

/// Values of one kind by key, each with the bytes it was decoded from; the oldest arrivals go
/// first once more than `capacity` are kept.
struct DecodedValues<Key: Hashable, Value> {
    private var entries: [Key: (bytes: [UInt8], value: Value)] = [:]
    private var arrivals = Deque<Key>()
    let capacity: Int
    private(set) var hits = 0
    private(set) var misses = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The cached value when it came from these very bytes, else `decode(bytes)` (remembered).
    mutating func value(for key: Key, bytes: [UInt8], decode: ([UInt8]) -> Value?) -> Value? {
        if let cached = entries[key], cached.bytes == bytes {
            hits += 1
            return cached.value
        }
        misses += 1
        guard let value = decode(bytes) else { return nil }
        remember(value, for: key, bytes: bytes)
        return value
    }

    /// Keeps `value` as the decoded form of `bytes`.
    mutating func remember(_ value: Value, for key: Key, bytes: [UInt8]) {
        guard capacity > 0 else { return }
        if entries.updateValue((bytes, value), forKey: key) == nil {
            arrivals.append(key)
            evict()
        }
    }

    /// Drops the entry for `key`, if any.
    mutating func forget(_ key: Key) {
        entries[key] = nil
    }

    /// Drops the oldest arrivals beyond `capacity`. Arrivals of entries already forgotten are
    /// skipped as they come up, and pruned when they outnumber the live entries, so the arrival
    /// queue stays bounded too.
    private mutating func evict() {
        while entries.count > capacity, let oldest = arrivals.popFirst() {
            entries[oldest] = nil
        }
        if arrivals.count > 2 * capacity {
            var seen = Set<Key>()
            arrivals = Deque(arrivals.reversed().filter { entries[$0] != nil && seen.insert($0).inserted }.reversed())
        }
    }
}
