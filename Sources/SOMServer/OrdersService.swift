public import SOMEngine
import Logging
public import SOMCodec
import SOMOrchestration
public import SOMRPC
public import SOMStore

/// `som.v1.Orders`: intake (one order or a billing run's stream), queries, cancel and the live watch.
public struct OrdersService: Sendable {
    /// The service name on the wire.
    public static let name = "som.v1.Orders"

    let store: OrderStore
    let clock: @Sendable () -> Timestamp
    let limits: Limits
    /// Drives accepted orders and cancels.
    let engine: OrderEngine
    /// Where accepted orders wait for their first evaluation.
    let evaluations: EvaluationQueue
    /// Which source systems a submitter may submit and cancel for.
    var access = AccessPolicy.unconfigured(serverUID: 0)

    /// Per-call bounds.
    public struct Limits: Sendable {
        /// Chunks of one SubmitBatch stream waiting for their commit; bounds server memory per stream.
        public var batchChunksInFlight = 16
        /// Events per watch response message.
        public var watchBatch = 512
        /// A watcher further behind the head than this is ended with RESOURCE_EXHAUSTED.
        public var watchMaxLag: UInt64 = 5_000_000
        /// Heartbeat interval of an idle watch.
        public var watchHeartbeat: Duration = .seconds(5)

        /// The defaults.
        public init() {}
    }

    /// Creates the service over `store`, driving orders with `engine`; `clock` is the wall clock intake uses.
    public init(
        store: OrderStore, limits: Limits = Limits(), clock: @escaping @Sendable () -> Timestamp = Timestamp.now,
        engine: OrderEngine, evaluations: EvaluationQueue
    ) {
        self.store = store
        self.limits = limits
        self.clock = clock
        self.engine = engine
        self.evaluations = evaluations
    }

    /// Adds the methods to `router`.
    public func register(in router: inout Router) {
        router.unary(Self.name, "Submit") { (request: SubmitOrderRequest, context) in
            try access.checkSubmit(context.peer, source: request.request?.sourceSystem ?? .unspecified)
            return try await submit(request)
        }
        router.bidirectional(Self.name, "SubmitBatch") { (chunks: MessageStream<SubmitBatchChunk>, results: MessageWriter<SubmitBatchChunkResult>, context) in
            try await submitBatch(chunks, results, peer: context.peer)
        }
        // A point read from the memory map: answered on the event loop, with no task or hop.
        router.unaryInline(Self.name, "Get") { (request: GetOrderRequest, _) in try get(request) }
        router.unary(Self.name, "List") { (request: ListOrdersRequest, _) in try list(request) }
        router.unary(Self.name, "Cancel") { (request: CancelOrderRequest, context) in try await cancel(request, by: context.peer) }
        router.serverStreamingEncoded(Self.name, "Watch") { (request: WatchOrdersRequest, writer: ResponseWriter, _) in
            try await watch(request, writer)
        }
    }

    func submit(_ message: SubmitOrderRequest) async throws -> SubmitOrderResponse {
        guard let request = message.request else { throw FieldViolation("request", "is required") }
        try RequestValidation.check(request)
        if !request.cancelsSourceRequestID.isEmpty { return try await submitCancellation(request, path: "request") }
        let outcomes = try await store.submit([OrderIntake.newOrder(request, now: clock())])
        switch outcomes.first {
        case .accepted(let order):
            evaluations.submit([order.orderID])
            return SubmitOrderResponse(order: order, duplicate: false)
        case .duplicate(let order): return SubmitOrderResponse(order: order, duplicate: true)
        case .conflict(let existing): throw StoreError.idempotencyConflict(existingOrderID: existing)
        case nil: throw StoreError.storage("the store returned no outcome")
        }
    }

    func get(_ request: GetOrderRequest) throws -> [UInt8] {
        try FieldChecks.identifier(request.orderID, "order_id")
        // The stored bytes go out as they are: GetOrderResponse is field 1 wrapping them.
        let stored = try store.orderBytes(request.orderID)
        var response: [UInt8] = []
        response.reserveCapacity(stored.count + 6)
        ProtoWire.appendLengthDelimited(field: 1, stored, to: &response)
        return response
    }

    func list(_ request: ListOrdersRequest) throws -> ListOrdersResponse {
        try FieldChecks.known(request.status, "status", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.known(request.sourceSystem, "source_system", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.known(request.orderType, "order_type", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.identifier(request.servicePointID, "service_point_id", maxBytes: RequestValidation.Limits.servicePointID, optional: true)
        try FieldChecks.timestamp(request.receivedFrom, "received_from")
        try FieldChecks.timestamp(request.receivedTo, "received_to")
        guard request.pageSize <= 1000 else { throw FieldViolation("page_size", "is \(request.pageSize); at most 1000") }
        let query = OrderQuery(
            servicePointID: request.servicePointID.isEmpty ? nil : request.servicePointID,
            status: request.status == .unspecified ? nil : request.status,
            sourceSystem: request.sourceSystem == .unspecified ? nil : request.sourceSystem,
            orderType: request.orderType == .unspecified ? nil : request.orderType,
            receivedFrom: request.receivedFrom, receivedTo: request.receivedTo,
            pageSize: request.pageSize == 0 ? 100 : Int(request.pageSize),
            pageToken: request.pageToken.isEmpty ? nil : request.pageToken)
        let page = try store.list(query)
        return ListOrdersResponse(orders: page.orders, nextPageToken: page.nextPageToken)
    }

    /// Cancels an order. With `peer` (a caller's `Orders/Cancel`), the caller's roles are checked
    /// against the order's source system, and a cancel by an operator is audited with its step.
    func cancel(_ request: CancelOrderRequest, by peer: PeerCredentials? = nil) async throws -> CancelOrderResponse {
        try FieldChecks.identifier(request.orderID, "order_id")
        try FieldChecks.text(request.reason, "reason", maxBytes: 1024)
        let reason = request.reason.isEmpty ? (request.bySource ? "cancelled by the source system" : "cancelled by an operator") : request.reason
        let current = try store.order(request.orderID)
        var audit: AuditEntry?
        if let peer {
            try access.checkCancel(peer, orderID: current.orderID, orderSource: current.request?.sourceSystem ?? .unspecified, bySource: request.bySource)
            if !request.bySource { audit = .by(peer, .cancelOrder, target: current.orderID, note: reason) }
        }
        guard !current.status.isTerminal else {
            throw StoreError.failedPrecondition(
                "order \(current.orderID) is \(current.status.protoName ?? "terminal"); a terminal order cannot be cancelled")
        }
        // The orchestrator cancels outstanding work, recalls dispatched field work, and
        // compensates a cut that already happened.
        // Not acknowledged unless durable: the caller hears the store's error (asking again is
        // harmless); an operator's cancel is not kept to retry (it carries its audit entry).
        if let failure = await engine.step(
            request.orderID, .cancelRequested(by: request.bySource ? .source : .operator, detail: reason), audit: audit) {
            throw failure
        }
        return CancelOrderResponse(order: try store.order(request.orderID))
    }
}
