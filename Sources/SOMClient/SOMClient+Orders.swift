public import SOMCodec
import SOMRPC
public import SOMTransport

extension SOMClient {
    /// `som.v1.Orders/Submit`: one order; `duplicate` says the key matched an existing order.
    public func submit(_ request: ServiceOrderRequest, options: CallOptions = CallOptions()) async throws -> SubmitOrderResponse {
        try await rpc.unary("/som.v1.Orders/Submit", SubmitOrderRequest(request: request), options: options)
    }

    /// `som.v1.Orders/SubmitBatch`: send chunks, read one result per chunk in order.
    public func submitBatch(options: CallOptions = CallOptions()) async throws -> TypedCall<SubmitBatchChunk, SubmitBatchChunkResult> {
        TypedCall(try await rpc.open("/som.v1.Orders/SubmitBatch", shape: .bidirectional, options: options))
    }

    /// `som.v1.Orders/Get`.
    public func order(_ orderID: String, options: CallOptions = CallOptions()) async throws -> Order {
        let response: GetOrderResponse = try await rpc.unary("/som.v1.Orders/Get", GetOrderRequest(orderID: orderID), options: options)
        return response.order ?? Order()
    }

    /// `som.v1.Orders/List`: one page.
    public func list(_ request: ListOrdersRequest, options: CallOptions = CallOptions()) async throws -> ListOrdersResponse {
        try await rpc.unary("/som.v1.Orders/List", request, options: options)
    }

    /// `som.v1.Orders/Cancel`.
    public func cancel(_ request: CancelOrderRequest, options: CallOptions = CallOptions()) async throws -> Order {
        let response: CancelOrderResponse = try await rpc.unary("/som.v1.Orders/Cancel", request, options: options)
        return response.order ?? Order()
    }

    /// `som.v1.Orders/Watch`: events from `from_sequence` (0 = now), then live, until cancelled.
    public func watch(_ request: WatchOrdersRequest, options: CallOptions = CallOptions()) async throws -> TypedResponses<WatchOrdersResponse> {
        let call = try await rpc.open("/som.v1.Orders/Watch", shape: .serverStreaming, options: options)
        try await call.send(request.encoded(), endStream: true)
        return TypedCall<WatchOrdersRequest, WatchOrdersResponse>(call).responses
    }

    /// `som.v1.Devices/Upsert`: send chunks, read one result per chunk.
    public func upsertDevices(options: CallOptions = CallOptions()) async throws -> TypedCall<UpsertDevicesChunk, UpsertDevicesChunkResult> {
        TypedCall(try await rpc.open("/som.v1.Devices/Upsert", shape: .bidirectional, options: options))
    }

    /// `som.v1.Devices/Get`.
    public func device(servicePointID: String, options: CallOptions = CallOptions()) async throws -> ServicePointDevice {
        let response: GetDeviceResponse = try await rpc.unary("/som.v1.Devices/Get", GetDeviceRequest(servicePointID: servicePointID), options: options)
        return response.device ?? ServicePointDevice()
    }

    /// `som.v1.Admin/Stats`.
    public func stats(options: CallOptions = CallOptions()) async throws -> StatsResponse {
        try await rpc.unary("/som.v1.Admin/Stats", StatsRequest(), options: options)
    }
}
