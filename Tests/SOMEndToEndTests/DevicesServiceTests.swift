import SOMClient
import SOMCodec
import SOMRPC
import Testing

@Suite("Devices service over the socket", .timeLimit(.minutes(5)))
struct DevicesServiceTests {
    @Test("Upsert answers per item and stores the valid records; Get reads them back")
    func upsert() async throws {
        try await withOrderServer { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let call = try await client.upsertDevices()
            let good = ServicePointDevice(servicePointID: "SP-1", meterID: "M-1", technology: .smartWithSwitch, gatewayID: "GW-1", supplyState: .connected)
            let noGateway = ServicePointDevice(servicePointID: "SP-2", meterID: "M-2", technology: .smartNoSwitch)
            let manual = ServicePointDevice(servicePointID: "SP-3", meterID: "M-3", technology: .manual)
            try await call.send(UpsertDevicesChunk(chunkID: 1, devices: [good, noGateway, manual]))
            call.finishSending()
            var results: [UpsertDevicesChunkResult] = []
            for try await result in call.responses { results.append(result) }
            let result = try #require(results.first)
            #expect((result.upserted, result.rejected) == (2, 1))
            #expect(result.items.map(\.ok) == [true, false, true])
            #expect(result.items[1].field == "devices[1].gateway_id")
            let stored = try await client.device(servicePointID: "SP-1")
            #expect(stored.meterID == "M-1" && stored.version == 1 && stored.updatedAt != nil)
            let missing = await #expect(throws: RPCError.self) { try await client.device(servicePointID: "SP-2") }
            #expect(missing?.code == .notFound)
        }
    }
}
