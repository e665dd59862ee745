import SOMClient
import SOMCodec

/// How the server took one item of a chunk.
enum ItemOutcome: Sendable {
    case accepted
    case duplicate
    case rejected(field: String, reason: String)
}

/// The server's answer to one chunk, item by item (`index` is the position in the chunk).
struct ChunkAnswer: Sendable {
    let chunkID: UInt64
    let items: [(index: Int, outcome: ItemOutcome)]
}

/// A bulk-upload stream: which record type one input line holds, how chunks of them are sent,
/// and how the answers read. The upload engine is written once against this.
protocol UploadTarget: Sendable {
    associatedtype Record: ProtoJSONMessage
    associatedtype Chunk: ProtoMessage
    associatedtype ChunkResult: ProtoMessage

    func open(_ client: SOMClient) async throws -> TypedCall<Chunk, ChunkResult>
    func chunk(id: UInt64, records: [Record]) -> Chunk
    func answer(_ result: ChunkResult) -> ChunkAnswer
}

extension UploadTarget {
    /// The server names fields from the chunk (`requests[7].service_point_id`); the rejects file
    /// already gives the line, so only the path inside the record is useful there.
    static func fieldInRecord(_ field: String) -> String {
        guard let close = field.firstRange(of: "]."), !field[..<close.lowerBound].contains(".") else { return field }
        return String(field[close.upperBound...])
    }
}

/// `somctl submit`: service order requests over `Orders/SubmitBatch`.
struct OrderUpload: UploadTarget {
    func open(_ client: SOMClient) async throws -> TypedCall<SubmitBatchChunk, SubmitBatchChunkResult> {
        try await client.submitBatch()
    }

    func chunk(id: UInt64, records: [ServiceOrderRequest]) -> SubmitBatchChunk {
        SubmitBatchChunk(chunkID: id, requests: records)
    }

    func answer(_ result: SubmitBatchChunkResult) -> ChunkAnswer {
        ChunkAnswer(chunkID: result.chunkID, items: result.items.map { item in
            let outcome: ItemOutcome = switch item.disposition {
            case .accepted: .accepted
            case .duplicate: .duplicate
            default: .rejected(field: Self.fieldInRecord(item.field), reason: item.reason)
            }
            return (Int(item.index), outcome)
        })
    }
}

/// `somctl devices import`: service point devices over `Devices/Upsert`.
struct DeviceUpload: UploadTarget {
    func open(_ client: SOMClient) async throws -> TypedCall<UpsertDevicesChunk, UpsertDevicesChunkResult> {
        try await client.upsertDevices()
    }

    func chunk(id: UInt64, records: [ServicePointDevice]) -> UpsertDevicesChunk {
        UpsertDevicesChunk(chunkID: id, devices: records)
    }

    func answer(_ result: UpsertDevicesChunkResult) -> ChunkAnswer {
        ChunkAnswer(chunkID: result.chunkID, items: result.items.map { item in
            (Int(item.index), item.ok ? .accepted : .rejected(field: Self.fieldInRecord(item.field), reason: item.reason))
        })
    }
}
