import SOMClient
import SOMCodec
import SOMStore
import Testing

/// A gateway adapter with fixed answers, as a test writes them: it holds one pull stream for its
/// gateway open for the whole test (so no leased batch is ever lost) and hands out the commands
/// one at a time, in the order the server sends them.
struct ScriptedGateway {
    let client: SOMClient
    let gatewayID: String
    private var batches: TypedResponses<CommandBatch>.AsyncIterator
    private var pending: [Command] = []

    init(_ client: SOMClient, gateway: String) async throws {
        self.client = client
        gatewayID = gateway
        batches = try await client.pullCommands(PullCommandsRequest(gatewayID: gateway, maxBatch: 1, leaseMs: 30_000)).makeAsyncIterator()
    }

    /// The next command for this gateway (waits for it; the suite's time limit bounds the wait).
    mutating func next() async throws -> Command {
        while pending.isEmpty {
            guard let batch = try await batches.next() else { throw ScriptError("the pull for \(gatewayID) ended") }
            pending += batch.commands
        }
        return pending.removeFirst()
    }

    /// Reports one result for `command`.
    @discardableResult
    func answer(_ command: Command, _ kind: CommandResultKind, failure: FailureClass = .unspecified, observed: SupplyState = .unspecified,
                reading: Reading? = nil, detail: String = "", finding: DeviceFinding = .unspecified, foundMeter: String = "") async throws -> Bool {
        let result = CommandResult(
            commandID: command.commandID, kind: kind, failureClass: failure, detail: detail, observedSupplyState: observed,
            reading: reading, at: .now(), attempt: command.attempt, finding: finding, foundMeterID: foundMeter)
        return try await client.reportResults(ReportResultsRequest(gatewayID: gatewayID, results: [result])).applied.first ?? false
    }
}

/// A field-work adapter for one crew pool with fixed answers.
struct ScriptedCrew {
    let client: SOMClient
    private var batches: TypedResponses<FieldWorkBatch>.AsyncIterator
    private var pending: [FieldWorkItem] = []

    init(_ client: SOMClient, pool: String = "") async throws {
        self.client = client
        batches = try await client.pullFieldWork(PullFieldWorkRequest(pool: pool, maxItems: 1, leaseMs: 30_000)).makeAsyncIterator()
    }

    /// The next item for this pool.
    mutating func next() async throws -> FieldWorkItem {
        while pending.isEmpty {
            guard let batch = try await batches.next() else { throw ScriptError("the field-work pull ended") }
            pending += batch.items
        }
        return pending.removeFirst()
    }
}

struct ScriptError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls the order until `done` holds (or fails after `seconds`), returning it.
func waitForOrder(_ client: SOMClient, _ orderID: String, seconds: Int = 20, _ done: (Order) -> Bool) async throws -> Order {
    let deadline = ContinuousClock.now + .seconds(seconds)
    var order = try await client.order(orderID)
    while !done(order) {
        guard ContinuousClock.now < deadline else {
            throw ScriptError("order \(orderID) still \(order.status)/\(order.subStatus): \(order.statusDetail)")
        }
        try await Task.sleep(for: .milliseconds(20))
        order = try await client.order(orderID)
    }
    return order
}

/// The events of one order, from the server's event log.
func events(of orderID: String, in store: OrderStore) throws -> [OrderEvent] {
    var result: [OrderEvent] = []
    var from: UInt64 = 1
    while true {
        let page = try store.events(from: from, limit: 1000)
        guard let last = page.events.last else { return result }
        for (_, bytes) in page.events {
            let event = try OrderEvent(decoding: bytes)
            if event.orderID == orderID { result.append(event) }
        }
        from = last.sequence + 1
    }
}

/// Stores devices through the Devices service.
func upsert(_ client: SOMClient, _ devices: [ServicePointDevice]) async throws {
    let call = try await client.upsertDevices()
    try await call.send(UpsertDevicesChunk(chunkID: 1, devices: devices))
    call.finishSending()
    for try await result in call.responses { #expect(result.rejected == 0) }
}

/// Submits one request and returns the order id.
func submitOrder(_ client: SOMClient, _ request: ServiceOrderRequest) async throws -> String {
    try #require(try await client.submit(request).order).orderID
}
