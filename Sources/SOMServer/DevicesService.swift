public import SOMEngine
import SOMCodec
import SOMOrchestration
import SOMScheduler
public import SOMRPC
public import SOMStore

/// `som.v1.Devices`: the meter population, bulk-upserted by stream and read by service point.
public struct DevicesService: Sendable {
    /// The service name on the wire.
    public static let name = "som.v1.Devices"

    let store: OrderStore
    /// Told about changed devices so open orders on those service points re-evaluate.
    let engine: OrderEngine

    /// Creates the service over `store`, telling `engine` about changed devices.
    public init(store: OrderStore, engine: OrderEngine) {
        self.store = store
        self.engine = engine
    }

    /// Adds the methods to `router`.
    public func register(in router: inout Router) {
        router.bidirectional(Self.name, "Upsert") { (chunks: MessageStream<UpsertDevicesChunk>, results: MessageWriter<UpsertDevicesChunkResult>, context) in
            for try await chunk in chunks {
                try await results.write(try await upsert(chunk, by: context.peer))
            }
        }
        router.unaryInline(Self.name, "Get") { (request: GetDeviceRequest, _) in
            try FieldChecks.identifier(request.servicePointID, "service_point_id", maxBytes: RequestValidation.Limits.servicePointID)
            return GetDeviceResponse(device: try store.device(servicePointID: request.servicePointID)).encoded()
        }
    }

    /// Validates each record; stores the valid ones in one commit; answers per item. With `peer`,
    /// the chunk is an operator's action: one audit entry per chunk, in the same commit.
    func upsert(_ chunk: UpsertDevicesChunk, by peer: PeerCredentials? = nil) async throws -> UpsertDevicesChunkResult {
        var result = UpsertDevicesChunkResult(chunkID: chunk.chunkID)
        var valid: [ServicePointDevice] = []
        for (index, device) in chunk.devices.enumerated() {
            do {
                try RequestValidation.check(device, path: "")
                valid.append(device)
                result.items.append(UpsertDeviceResult(index: UInt32(index), ok: true))
            } catch {
                let violation = error.prefixed("devices[\(index)]")
                result.items.append(UpsertDeviceResult(
                    index: UInt32(index), ok: false, code: RPCStatus.Code.invalidArgument.rawValue,
                    field: violation.field, reason: violation.reason))
            }
        }
        if !valid.isEmpty {
            let audit = peer.map { AuditEntry.by($0, .upsertDevices, target: valid[0].servicePointID, note: Self.auditNote(valid)) }
            _ = try await store.upsertDevices(valid, audit: audit)
            // The plan is decided from the device's state, so open orders there look again.
            let affected = try store.openOrderIDs(servicePointIDs: valid.map(\.servicePointID))
            await engine.step(affected.map { ($0, .deviceUpdated) })
        }
        result.upserted = UInt32(valid.count)
        result.rejected = UInt32(chunk.devices.count - valid.count)
        return result
    }

    /// How many service points, and which (the first few), with the gateways they name.
    static func auditNote(_ devices: [ServicePointDevice]) -> String {
        let shown = devices.prefix(5).map { "\($0.servicePointID) (meter \($0.meterID), gateway \($0.gatewayID))" }
        let more = devices.count > shown.count ? " and \(devices.count - shown.count) more" : ""
        return "\(devices.count) service point(s): \(shown.joined(separator: ", "))\(more)"
    }
}
