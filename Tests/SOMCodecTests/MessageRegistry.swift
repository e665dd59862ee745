import SOMCodec

/// Decode-then-encode for a message named at run time, so one test covers every type.
struct AnyMessageCodec: Sendable {
    let decodeAndEncode: @Sendable ([UInt8]) throws -> [UInt8]
    let decodeOnly: @Sendable ([UInt8]) throws -> Void
    let fieldCount: Int

    init<M: ProtoMessage>(_ type: M.Type) {
        decodeAndEncode = { bytes in try M(decoding: bytes).encoded() }
        decodeOnly = { bytes in _ = try M(decoding: bytes) }
        fieldCount = M.fields.count
    }
}

/// Every message type of the schema, by protobuf name.
let allMessageTypes: [any ProtoMessage.Type] = [
    Timestamp.self,
    // rpc.proto
    MetadataEntry.self, CallHeader.self, CallStatus.self, GoAway.self, EchoMessage.self, ConnectionSettings.self,
    // device.proto
    Reading.self, ServicePointDevice.self,
    // order.proto
    TimeWindow.self, ServiceAgreement.self, Contact.self, CollectionData.self, ServiceOrderRequest.self, Attempt.self,
    Activity.self, Order.self, OrderEvent.self,
    // orders_service.proto
    SubmitOrderRequest.self, SubmitOrderResponse.self, SubmitBatchChunk.self, SubmitBatchItemResult.self,
    SubmitBatchChunkResult.self, GetOrderRequest.self, GetOrderResponse.self, ListOrdersRequest.self, ListOrdersResponse.self,
    CancelOrderRequest.self, CancelOrderResponse.self, WatchOrdersRequest.self, WatchOrdersResponse.self,
    // devices_service.proto
    UpsertDevicesChunk.self, UpsertDeviceResult.self, UpsertDevicesChunkResult.self, GetDeviceRequest.self, GetDeviceResponse.self,
    // gateways_service.proto
    Command.self, PullCommandsRequest.self, CommandBatch.self, CommandResult.self, ReportResultsRequest.self,
    ReportResultsResponse.self, ExtendLeaseRequest.self, ExtendLeaseResponse.self, GatewayStats.self, ListGatewaysRequest.self,
    ListGatewaysResponse.self, GatewayDefinition.self, DefineGatewayRequest.self, DefineGatewayResponse.self,
    RemoveGatewayRequest.self, RemoveGatewayResponse.self, ListRegisteredGatewaysRequest.self, ListRegisteredGatewaysResponse.self,
    // fieldwork_service.proto
    FieldWorkItem.self, PullFieldWorkRequest.self, FieldWorkBatch.self, FieldWorkUpdateRequest.self, FieldWorkUpdateResponse.self,
    CompleteFieldWorkRequest.self, CompleteFieldWorkResponse.self, NotDoneFieldWorkRequest.self, NotDoneFieldWorkResponse.self,
    AcknowledgeCancelRequest.self, AcknowledgeCancelResponse.self, FieldWorkStatsRequest.self, FieldWorkStatsResponse.self,
    // admin_service.proto
    HealthRequest.self, HealthResponse.self, StatsRequest.self, StatusCount.self, StatsResponse.self, DatabaseSize.self,
    BackupRequest.self, BackupResponse.self, ArchiveRequest.self, ArchiveResponse.self, Moratorium.self,
    SetMoratoriumRequest.self, SetMoratoriumResponse.self, ClearMoratoriumRequest.self, ClearMoratoriumResponse.self,
    ListMoratoriaRequest.self, ListMoratoriaResponse.self, ListHoldsRequest.self, ListHoldsResponse.self, ReleaseHoldRequest.self,
    ReleaseHoldResponse.self, AuditEntry.self, ListAuditRequest.self, ListAuditResponse.self,
]

let codecsByName: [String: AnyMessageCodec] = {
    var result: [String: AnyMessageCodec] = [:]
    for type in allMessageTypes {
        result[type.protoName] = makeCodec(type)
    }
    return result
}()

private func makeCodec<M: ProtoMessage>(_ type: M.Type) -> AnyMessageCodec { AnyMessageCodec(type) }

/// The protobuf names of every message type, sorted.
let allMessageTypeNames: [String] = codecsByName.keys.sorted()
