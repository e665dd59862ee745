import SOMEngine
public import SOMCodec
import SOMOrchestration
public import SOMScheduler
public import SOMStore

/// What the server can say about itself at one moment, for metrics: read from the stats the
/// store, the scheduler and the engine already keep, so nothing is counted twice.
public struct ServerFigures: Sendable {
    /// Open connections.
    public var connections: Int
    /// The store's size and page use.
    public var store: StoreStatistics
    /// Orders kept in the store (open and finished, not archived).
    public var ordersStored: Int
    /// Open orders by status.
    public var openByStatus: [OrderStatus: Int]
    /// Held orders by hold reason.
    public var heldByReason: [HoldReason: Int]
    /// Every gateway's queue.
    public var gateways: [GatewayStatistics]
    /// The field-work queue.
    public var fieldWork: FieldWorkStatistics
    /// Remote cuts for non-payment the guardrail counts in its window, per gateway and in total.
    public var guardrailPerGateway: [String: Int]
    public var guardrailTotal: Int
    /// The guardrail's limits.
    public var guardrailLimitPerGateway: Int
    public var guardrailLimitTotal: Int
    /// The newest event's sequence number.
    public var eventsHead: UInt64
    /// The oldest event still kept (the retention floor).
    public var eventFloor: UInt64
}

extension SOMServer {
    /// Reads the figures; store reads are short read transactions.
    /// - Throws: `StoreError` when the store cannot be read.
    public func figures() async throws -> ServerFigures {
        let store = engine.store
        let counts = try store.counts()
        var held: [HoldReason: Int] = [:]
        try store.forEachOpenOrder(status: .held) { page in
            for order in page { held[order.holdReason, default: 0] += 1 }
        }
        let volume = engine.disconnectVolume()
        let limits = engine.policy.guardrail
        return ServerFigures(
            connections: connectionCount, store: try store.statistics(), ordersStored: counts.orders,
            openByStatus: counts.openByStatus, heldByReason: held,
            gateways: await engine.scheduler.statistics(), fieldWork: await engine.scheduler.fieldWorkStatistics,
            guardrailPerGateway: volume.perGateway, guardrailTotal: volume.total,
            guardrailLimitPerGateway: limits.perGateway, guardrailLimitTotal: limits.total,
            eventsHead: store.head.current, eventFloor: try store.eventFloor())
    }
}
