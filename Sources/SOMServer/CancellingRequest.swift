public import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMStore

/// Why a request naming the order it cancels (`cancels_source_request_id`) was refused. Such a
/// request never becomes an order of its own.
public enum CancelTargetError: Error, Sendable, Hashable {
    /// No order of the same source has that source request id.
    case unknown(sourceRequestID: String, field: String)
    /// The named order has already ended; there is nothing left to cancel.
    case finished(orderID: String, status: OrderStatus, field: String)
}

extension CancelTargetError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unknown(let id, _): "no order of this source has source request id \(id)"
        case .finished(let orderID, let status, _): "order \(orderID) is \(status.protoName ?? "terminal"); an ended order cannot be cancelled"
        }
    }
}

extension OrdersService {
    /// Carries out a request that cancels the order its source sent as `cancels_source_request_id`:
    /// the order is cancelled as `Cancel` by the source would (recall, compensation of a cut that
    /// happened), and the cancelling request is recorded under its own idempotency key, naming the
    /// order it cancelled. A retry returns that order as a duplicate.
    /// - Parameter path: the request's field path (`request`, `requests[3]`), for refusals.
    func submitCancellation(_ request: ServiceOrderRequest, path: String) async throws -> SubmitOrderResponse {
        let field = path.isEmpty ? "cancels_source_request_id" : path + ".cancels_source_request_id"
        if let recorded = try store.orderID(source: request.sourceSystem, sourceRequestID: request.sourceRequestID) {
            var order = try store.order(recorded)
            // The key belongs to an ordinary order: this is not a retry of the cancel.
            guard order.request?.sourceRequestID == request.cancelsSourceRequestID else {
                throw StoreError.idempotencyConflict(existingOrderID: recorded)
            }
            // A retry; the cancel itself may not have run (a crash between recording and cancelling).
            if !order.status.isTerminal { order = try await cancel(Self.cancelRequest(recorded, request)).order ?? order }
            return SubmitOrderResponse(order: order, duplicate: true)
        }
        guard let target = try store.orderID(source: request.sourceSystem, sourceRequestID: request.cancelsSourceRequestID) else {
            throw CancelTargetError.unknown(sourceRequestID: request.cancelsSourceRequestID, field: field)
        }
        let current = try store.order(target)
        guard !current.status.isTerminal else { throw CancelTargetError.finished(orderID: target, status: current.status, field: field) }
        let recorded = try await store.recordCancellingRequest(source: request.sourceSystem, sourceRequestID: request.sourceRequestID, cancels: target)
        guard recorded == target else { throw StoreError.idempotencyConflict(existingOrderID: recorded) }
        let order = try await cancel(Self.cancelRequest(target, request)).order
        return SubmitOrderResponse(order: order, duplicate: false)
    }

    static func cancelRequest(_ orderID: String, _ request: ServiceOrderRequest) -> CancelOrderRequest {
        var reason = "source request \(request.sourceRequestID) cancels request \(request.cancelsSourceRequestID)"
        if !request.notes.isEmpty { reason += ": " + String(decoding: request.notes.utf8.prefix(512), as: UTF8.self) }
        return CancelOrderRequest(orderID: orderID, reason: reason, bySource: true)
    }
}
