import SOMEngine
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMStore

/// The operator controls of `som.v1.Admin`: moratoria and held orders.
struct OperatorService: Sendable {
    let engine: OrderEngine
    let store: OrderStore

    func register(in router: inout Router) {
        let engine = self.engine, store = self.store
        router.unary(AdminService.name, "SetMoratorium") { (request: SetMoratoriumRequest, context) -> SetMoratoriumResponse in
            guard var moratorium = request.moratorium else { throw FieldViolation("moratorium", "is required") }
            try FieldChecks.identifier(moratorium.region, "moratorium.region", optional: true)
            try FieldChecks.timestamp(moratorium.startsAt, "moratorium.starts_at", required: true)
            try FieldChecks.timestamp(moratorium.endsAt, "moratorium.ends_at", required: true)
            guard let starts = moratorium.startsAt, let ends = moratorium.endsAt, starts < ends else {
                throw FieldViolation("moratorium.ends_at", "must be after starts_at")
            }
            try FieldChecks.known(moratorium.reason, "moratorium.reason", unspecified: .unspecified, allowUnspecified: true)
            if moratorium.reason == .unspecified { moratorium.reason = .moratorium }
            if moratorium.moratoriumID.isEmpty { moratorium.moratoriumID = "MOR-\(Timestamp.now().seconds)-\(UInt16.random(in: 0...UInt16.max))" }
            var all = try store.moratoria().filter { $0.moratoriumID != moratorium.moratoriumID }
            all.append(moratorium)
            try await store.saveMoratoria(all, audit: .by(
                context.peer, .setMoratorium, target: moratorium.moratoriumID, note: Self.describe(moratorium)))
            engine.updateInputs { $0.moratoria = all }
            // Cuts not yet executed look again: queued cut commands in the region are recalled.
            await reevaluateOpenCuts(engine: engine, store: store)
            return SetMoratoriumResponse(moratorium: moratorium)
        }
        router.unary(AdminService.name, "ClearMoratorium") { (request: ClearMoratoriumRequest, context) -> ClearMoratoriumResponse in
            try FieldChecks.identifier(request.moratoriumID, "moratorium_id")
            let all = try store.moratoria()
            guard let cleared = all.first(where: { $0.moratoriumID == request.moratoriumID }) else {
                throw StoreError.notFound("moratorium \(request.moratoriumID)")
            }
            let remaining = all.filter { $0.moratoriumID != request.moratoriumID }
            try await store.saveMoratoria(remaining, audit: .by(
                context.peer, .clearMoratorium, target: request.moratoriumID, note: "was " + Self.describe(cleared)))
            engine.updateInputs { $0.moratoria = remaining }
            // Orders held by it are re-checked now rather than at their next check time.
            await recheckHeld(engine: engine, store: store, reason: nil)
            return ClearMoratoriumResponse()
        }
        router.unary(AdminService.name, "ListMoratoria") { (_: ListMoratoriaRequest, _) -> ListMoratoriaResponse in
            ListMoratoriaResponse(moratoria: try store.moratoria())
        }
        router.unary(AdminService.name, "ListHolds") { (request: ListHoldsRequest, _) -> ListHoldsResponse in
            try FieldChecks.known(request.reason, "reason", unspecified: .unspecified, allowUnspecified: true)
            let size = request.pageSize == 0 ? 100 : min(Int(request.pageSize), 1000)
            let after = request.pageToken.isEmpty ? nil : request.pageToken
            if let after, OrderNumber.number(after) == nil { throw StoreError.invalidPageToken }
            var held: [Order] = []
            var cursor = after
            var exhausted = false
            while held.count < size {
                let page = try store.openOrders(status: .held, after: cursor, limit: size)
                guard let last = page.last else { exhausted = true; break }
                cursor = last.orderID
                held += page.filter { request.reason == .unspecified || $0.holdReason == request.reason }
            }
            return ListHoldsResponse(orders: Array(held.prefix(size)), nextPageToken: exhausted ? "" : (held.prefix(size).last?.orderID ?? cursor ?? ""))
        }
        router.unary(AdminService.name, "ReleaseHold") { (request: ReleaseHoldRequest, context) -> ReleaseHoldResponse in
            try FieldChecks.text(request.operatorNote, "operator_note", maxBytes: 1024)
            let note = request.operatorNote.isEmpty ? "released by an operator" : request.operatorNote
            // One entry per order, in the transaction of that order's step.
            let audit = AuditEntry.by(context.peer, .releaseHold, note: note)
            if !request.orderID.isEmpty {
                let order = try store.order(request.orderID)
                guard order.status == .held else {
                    throw StoreError.failedPrecondition("order \(order.orderID) is not held (it is \(order.status.protoName ?? "?"))")
                }
                if let failure = await engine.step(order.orderID, .holdReleased(note: note), audit: audit) { throw failure }
                return try releaseOutcome(store: store, [order.orderID])
            }
            guard request.reason != .unspecified else { throw FieldViolation("order_id", "give an order id or a hold reason") }
            try FieldChecks.known(request.reason, "reason", unspecified: .unspecified)
            let ids = try heldOrders(store: store, reason: request.reason)
            if let failure = await engine.step(ids.map { ($0, OrchestratorEvent.holdReleased(note: note)) }, audit: audit) { throw failure }
            return try releaseOutcome(store: store, ids)
        }
    }
}

extension OperatorService {
    /// A moratorium in one line, for its audit entries.
    static func describe(_ moratorium: Moratorium) -> String {
        let region = moratorium.region.isEmpty ? "every region" : "region \(moratorium.region)"
        let reason = moratorium.reason.protoName ?? "\(moratorium.reason)"
        var text = "\(reason) in \(region) from \(moratorium.startsAt?.iso8601 ?? "?") to \(moratorium.endsAt?.iso8601 ?? "?")"
        if !moratorium.description.isEmpty { text += ": \(moratorium.description)" }
        return text
    }
}

/// What releasing `ids` did: the orders that left HELD are counted, those a re-check held again
/// at once are counted and (the first `heldAgainShown`) returned as they are, so the operator
/// reads why instead of "released".
func releaseOutcome(store: OrderStore, _ ids: [String]) throws -> ReleaseHoldResponse {
    var response = ReleaseHoldResponse()
    for id in ids {
        let order = try store.order(id)
        guard order.status == .held else {
            response.released += 1
            continue
        }
        response.heldAgainCount += 1
        // A bulk release must not outgrow a frame: a sample says why, the count says how many.
        if response.heldAgain.count < heldAgainShown { response.heldAgain.append(order) }
    }
    return response
}

/// How many orders held again a release response carries at most.
let heldAgainShown = 100

/// Ids of held orders, optionally only those held for `reason`.
func heldOrders(store: OrderStore, reason: HoldReason?) throws -> [String] {
    var ids: [String] = []
    try store.forEachOpenOrder(status: .held) { page in
        ids += page.filter { reason == nil || $0.holdReason == reason }.map(\.orderID)
    }
    return ids
}

/// Steps every held order with a re-check (after a moratorium ends early).
func recheckHeld(engine: OrderEngine, store: OrderStore, reason: HoldReason?) async {
    guard let ids = try? heldOrders(store: store, reason: reason) else { return }
    await engine.step(ids.map { ($0, OrchestratorEvent.recheckDue) })
}

/// Steps every open cut for non-payment with `.evaluate` (after a moratorium is set).
func reevaluateOpenCuts(engine: OrderEngine, store: OrderStore) async {
    var ids: [String] = []
    for status in [OrderStatus.scheduled, .inProgress] {
        try? store.forEachOpenOrder(status: status) { page in
            ids += page.filter { $0.request?.orderType == .cutForNonPayment }.map(\.orderID)
        }
    }
    await engine.step(ids.map { ($0, OrchestratorEvent.evaluate) })
}
