public import SOMCodec
import SOMLMDB

/// Filters of a `List` call (AND); nil matches everything.
public struct OrderQuery: Sendable, Hashable {
    public var servicePointID: String?
    public var status: OrderStatus?
    public var sourceSystem: SourceSystem?
    public var orderType: OrderType?
    public var receivedFrom: Timestamp?
    public var receivedTo: Timestamp?
    /// 1…1000.
    public var pageSize: Int
    /// From the previous page; nil for the first.
    public var pageToken: String?

    /// Creates a query.
    public init(
        servicePointID: String? = nil, status: OrderStatus? = nil, sourceSystem: SourceSystem? = nil,
        orderType: OrderType? = nil, receivedFrom: Timestamp? = nil, receivedTo: Timestamp? = nil,
        pageSize: Int = 100, pageToken: String? = nil
    ) {
        self.servicePointID = servicePointID
        self.status = status
        self.sourceSystem = sourceSystem
        self.orderType = orderType
        self.receivedFrom = receivedFrom
        self.receivedTo = receivedTo
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

/// One page of a `List`.
public struct OrderPage: Sendable {
    /// Matching orders in index order.
    public var orders: [Order]
    /// Resumes after the last key examined; empty when the index range is exhausted.
    public var nextPageToken: String
}

extension OrderStore {
    /// Index entries one page may examine; a selective filter returns a short (even empty) page with a
    /// token rather than scanning the whole store in one read transaction.
    static let scanBudget = 20_000

    /// Lists orders matching `query`, using the most selective index available: service point, then
    /// open status, then source system, else the primary table in id (= intake time) order.
    ///
    /// Page tokens name the index and the last key examined, so pages are stable while orders arrive.
    public func list(_ query: OrderQuery) throws(StoreError) -> OrderPage {
        let plan = ListPlan(query)
        let resume: [UInt8]?
        if let token = query.pageToken, !token.isEmpty {
            guard let key = plan.decode(token: token) else { throw .invalidPageToken }
            resume = key
        } else {
            resume = nil
        }
        return try read { txn -> OrderPage in
            var orders: [Order] = []
            var lastKey: [UInt8]?
            var examined = 0
            var exhausted = true
            var start = resume
            if start == nil, plan.index == .primary, let from = query.receivedFrom {
                start = try Self.firstOrderKey(receivedAtOrAfter: from, txn, tables).map { key in
                    let previous = (UInt64(bigEndianBytes: key) ?? 1) - 1
                    return Keys.order(previous)
                }
            }
            try txn.scan(in: plan.database(tables), range: .prefix(plan.prefix, after: start)) { key, value in
                examined += 1
                lastKey = key
                let order: Order?
                if plan.index == .primary {
                    order = try? Order(decoding: value)
                } else {
                    let number = plan.orderNumber(key: key, value: value)
                    order = try number.flatMap { try txn.get(Keys.order($0), in: tables.orders) }.flatMap { try? Order(decoding: $0) }
                }
                if let order {
                    if plan.index == .primary, let to = query.receivedTo, let at = order.receivedAt, at > to {
                        lastKey = nil
                        return .stop
                    }
                    if query.matches(order) { orders.append(order) }
                }
                if orders.count >= query.pageSize || examined >= Self.scanBudget {
                    exhausted = false
                    return .stop
                }
                return .continue
            }
            let token = exhausted ? "" : lastKey.map(plan.encode(key:)) ?? ""
            return OrderPage(orders: orders, nextPageToken: token)
        }
    }

    /// Binary search over the dense, time-ordered order numbers for the first order received at or after `time`.
    static func firstOrderKey(receivedAtOrAfter time: Timestamp, _ txn: borrowing ReadTransaction, _ tables: Tables) throws -> [UInt8]? {
        var last: UInt64 = 0
        try txn.scan(in: tables.orders, reverse: true) { key, _ in
            last = UInt64(bigEndianBytes: key) ?? 0
            return .stop
        }
        var low: UInt64 = 1
        var high = last + 1
        while low < high {
            let middle = low + (high - low) / 2
            let at = try txn.get(Keys.order(middle), in: tables.orders).flatMap { try? Order(decoding: $0) }?.receivedAt
            if let at, at < time { low = middle + 1 } else { high = middle }
        }
        return low <= last ? Keys.order(low) : nil
    }
}

extension OrderQuery {
    func matches(_ order: Order) -> Bool {
        let request = order.request ?? ServiceOrderRequest()
        if let servicePointID, request.servicePointID != servicePointID { return false }
        if let status, order.status != status { return false }
        if let sourceSystem, request.sourceSystem != sourceSystem { return false }
        if let orderType, request.orderType != orderType { return false }
        if let receivedFrom, (order.receivedAt ?? Timestamp()) < receivedFrom { return false }
        if let receivedTo, (order.receivedAt ?? Timestamp()) > receivedTo { return false }
        return true
    }
}

/// Which index a query scans, and how its page tokens look: "<index letter>.<hex of the last key>".
struct ListPlan {
    /// The raw value is the token's first byte.
    enum Index: UInt8 {
        case servicePoint = 0x70  // "p"
        case status = 0x73  // "s"
        case source = 0x72  // "r"
        case primary = 0x6F  // "o"
    }

    let index: Index
    let prefix: [UInt8]

    init(_ query: OrderQuery) {
        if let servicePointID = query.servicePointID {
            index = .servicePoint
            prefix = Keys.servicePointPrefix(servicePointID)
        } else if let status = query.status, !status.isTerminal {
            index = .status
            prefix = [UInt8(truncatingIfNeeded: status.rawValue)]
        } else if let source = query.sourceSystem {
            index = .source
            prefix = Keys.sourcePrefix(source)
        } else {
            index = .primary
            prefix = []
        }
    }

    func database(_ tables: Tables) -> Database {
        switch index {
        case .servicePoint: return tables.byServicePoint
        case .status: return tables.byStatus
        case .source: return tables.idempotency
        case .primary: return tables.orders
        }
    }

    func orderNumber(key: [UInt8], value: [UInt8]) -> UInt64? {
        index == .source ? UInt64(bigEndianBytes: value) : Keys.trailingNumber(key)
    }

    func encode(key: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var text = [index.rawValue, UInt8(ascii: ".")]
        for byte in key {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The key a token resumes after, if the token belongs to this plan and lies in its range.
    func decode(token: String) -> [UInt8]? {
        let utf8 = Array(token.utf8)
        guard utf8.count >= 2, utf8.count % 2 == 0, utf8[0] == index.rawValue, utf8[1] == UInt8(ascii: ".") else { return nil }
        var key: [UInt8] = []
        var index = 2
        while index < utf8.count {
            guard let high = Self.nibble(utf8[index]), let low = Self.nibble(utf8[index + 1]) else { return nil }
            key.append(high << 4 | low)
            index += 2
        }
        guard !key.isEmpty, key.starts(with: prefix) else { return nil }
        return key
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
