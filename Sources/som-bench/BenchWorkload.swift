import SOMClient
import SOMCodec

/// The smart-meter population and the orders the end-to-end and restart groups run: every order
/// can finish remotely through a gateway.
enum BenchWorkload {
    /// `GW-01` ... for `count` gateways.
    static func gatewayIDs(_ count: Int) -> [String] {
        (1...count).map { "GW-" + OrderGenerator.padded(UInt64($0), 2) }
    }

    /// Stores `count` smart meters with remote switches (`SP-E<n>`), spread over `gateways`; a
    /// quarter each disconnected for non-payment and cut at the meter, so every order type below has
    /// a service point its state allows.
    static func loadDevices(_ client: SOMClient, count: Int, gateways: [String]) async throws {
        let upsert = try await client.upsertDevices()
        // Answers are read while chunks go out: the server writes one per chunk under the client's
        // credit, so a client that read only after sending everything would stall both sides.
        let reader = Task { for try await _ in upsert.responses {} }
        var start = 0
        while start < count {
            let end = min(start + 1000, count)
            try await upsert.send(UpsertDevicesChunk(chunkID: UInt64(start), devices: (start..<end).map { index in
                let disconnected = index % 4 == 1 || index % 4 == 2
                return ServicePointDevice(
                    servicePointID: "SP-E\(index)", meterID: "M-E\(index)", technology: .smartWithSwitch,
                    gatewayID: gateways[index % gateways.count], commissioned: true,
                    supplyState: disconnected ? .disconnected : .connected, disconnectLocation: disconnected ? .meterSwitch : .unspecified,
                    lastReading: Reading(valueMilli: 1_000_000, unit: "kWh", readAt: Timestamp(seconds: 1), source: .scheduled, meterID: "M-E\(index)"))
            }))
            start = end
        }
        upsert.finishSending()
        try await reader.value
    }

    /// Submits `orders` orders over `devices` service points in one SubmitBatch stream; each service
    /// point gets the type its state allows to finish remotely. With `rate`, a chunk goes every
    /// 10 ms on a fixed schedule from `started` (open loop); without, as fast as taken.
    /// - Returns: how many were accepted.
    static func submit(
        _ client: SOMClient, orders: Int, devices: Int, tag: String, rate: Int? = nil, started: ContinuousClock.Instant = .now
    ) async throws -> Int {
        let types: [OrderType] = [.disableService, .enableService, .reconnectForPayment, .offCycleRead]
        let batch = try await client.submitBatch()
        let reader = Task { () throws -> Int in
            var accepted = 0
            for try await result in batch.responses { accepted += Int(result.accepted) }
            return accepted
        }
        let chunk = rate.map { max(1, $0 / 100) } ?? 1000
        var start = 0
        while start < orders {
            let end = min(start + chunk, orders)
            if let rate {
                // Each chunk is due at its own time, so a late send is caught up rather than spread out.
                let due = started + .nanoseconds(Int64(start) * 1_000_000_000 / Int64(rate))
                if due > .now { try await Task.sleep(until: due, clock: .continuous) }
            }
            try await batch.send(SubmitBatchChunk(chunkID: UInt64(start), requests: (start..<end).map { index in
                let point = index % devices
                return ServiceOrderRequest(
                    sourceSystem: .cis, sourceRequestID: "\(tag)-E\(index)", orderType: types[point % types.count],
                    servicePointID: "SP-E\(point)")
            }))
            start = end
        }
        batch.finishSending()
        return try await reader.value
    }
}
