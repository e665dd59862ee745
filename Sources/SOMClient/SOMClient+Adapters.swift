public import SOMCodec
import SOMRPC
public import SOMTransport

// The adapter-facing services: what a head-end (gateway) adapter and the field-work adapter call.
extension SOMClient {
    /// `som.v1.Gateways/PullCommands`: leased batches for one gateway, as they become available, until cancelled.
    public func pullCommands(_ request: PullCommandsRequest, options: CallOptions = CallOptions()) async throws -> TypedResponses<CommandBatch> {
        let call = try await rpc.open("/som.v1.Gateways/PullCommands", shape: .serverStreaming, options: options)
        try await call.send(request.encoded(), endStream: true)
        return TypedCall<PullCommandsRequest, CommandBatch>(call).responses
    }

    /// `som.v1.Gateways/ReportResults`.
    public func reportResults(_ request: ReportResultsRequest, options: CallOptions = CallOptions()) async throws -> ReportResultsResponse {
        try await rpc.unary("/som.v1.Gateways/ReportResults", request, options: options)
    }

    /// `som.v1.Gateways/ExtendLease`.
    public func extendLease(_ request: ExtendLeaseRequest, options: CallOptions = CallOptions()) async throws -> ExtendLeaseResponse {
        try await rpc.unary("/som.v1.Gateways/ExtendLease", request, options: options)
    }

    /// `som.v1.Gateways/List`.
    public func gateways(options: CallOptions = CallOptions()) async throws -> ListGatewaysResponse {
        try await rpc.unary("/som.v1.Gateways/List", ListGatewaysRequest(), options: options)
    }

    /// `som.v1.FieldWork/Pull`: leased field activities as they become available, until cancelled.
    public func pullFieldWork(_ request: PullFieldWorkRequest, options: CallOptions = CallOptions()) async throws -> TypedResponses<FieldWorkBatch> {
        let call = try await rpc.open("/som.v1.FieldWork/Pull", shape: .serverStreaming, options: options)
        try await call.send(request.encoded(), endStream: true)
        return TypedCall<PullFieldWorkRequest, FieldWorkBatch>(call).responses
    }

    /// `som.v1.FieldWork/Update`.
    public func updateFieldWork(_ request: FieldWorkUpdateRequest, options: CallOptions = CallOptions()) async throws -> FieldWorkUpdateResponse {
        try await rpc.unary("/som.v1.FieldWork/Update", request, options: options)
    }

    /// `som.v1.FieldWork/Complete`.
    public func completeFieldWork(_ request: CompleteFieldWorkRequest, options: CallOptions = CallOptions()) async throws -> CompleteFieldWorkResponse {
        try await rpc.unary("/som.v1.FieldWork/Complete", request, options: options)
    }

    /// `som.v1.FieldWork/NotDone`.
    public func fieldWorkNotDone(_ request: NotDoneFieldWorkRequest, options: CallOptions = CallOptions()) async throws -> NotDoneFieldWorkResponse {
        try await rpc.unary("/som.v1.FieldWork/NotDone", request, options: options)
    }

    /// `som.v1.FieldWork/AcknowledgeCancel`: the workforce system stopped work som cancelled.
    public func acknowledgeCancel(_ request: AcknowledgeCancelRequest, options: CallOptions = CallOptions()) async throws -> AcknowledgeCancelResponse {
        try await rpc.unary("/som.v1.FieldWork/AcknowledgeCancel", request, options: options)
    }

    /// `som.v1.FieldWork/Stats`.
    public func fieldWorkStats(options: CallOptions = CallOptions()) async throws -> FieldWorkStatsResponse {
        try await rpc.unary("/som.v1.FieldWork/Stats", FieldWorkStatsRequest(), options: options)
    }
}

// Operator controls of the Admin service.
extension SOMClient {
    /// `som.v1.Admin/SetMoratorium`.
    public func setMoratorium(_ moratorium: Moratorium, options: CallOptions = CallOptions()) async throws -> Moratorium {
        let response: SetMoratoriumResponse = try await rpc.unary("/som.v1.Admin/SetMoratorium", SetMoratoriumRequest(moratorium: moratorium), options: options)
        return response.moratorium ?? Moratorium()
    }

    /// `som.v1.Admin/ClearMoratorium`.
    public func clearMoratorium(_ moratoriumID: String, options: CallOptions = CallOptions()) async throws {
        let _: ClearMoratoriumResponse = try await rpc.unary("/som.v1.Admin/ClearMoratorium", ClearMoratoriumRequest(moratoriumID: moratoriumID), options: options)
    }

    /// `som.v1.Admin/ListMoratoria`.
    public func moratoria(options: CallOptions = CallOptions()) async throws -> [Moratorium] {
        let response: ListMoratoriaResponse = try await rpc.unary("/som.v1.Admin/ListMoratoria", ListMoratoriaRequest(), options: options)
        return response.moratoria
    }

    /// `som.v1.Admin/ListHolds`: one page.
    public func holds(_ request: ListHoldsRequest, options: CallOptions = CallOptions()) async throws -> ListHoldsResponse {
        try await rpc.unary("/som.v1.Admin/ListHolds", request, options: options)
    }

    /// `som.v1.Admin/ReleaseHold`: how many orders were released, and those held again at once (with why).
    public func releaseHold(_ request: ReleaseHoldRequest, options: CallOptions = CallOptions()) async throws -> ReleaseHoldResponse {
        try await rpc.unary("/som.v1.Admin/ReleaseHold", request, options: options)
    }
}
