import Foundation
import Logging
import SOMClient
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMScheduler
import SOMServer
import SOMStore
import SOMTestSupport
import SOMTransport
import Testing

/// Runs a real `SOMServer` over the store in `directory` (kept across calls, so a second call is a
/// restart) on a real socket, for `body`; the server is stopped whatever `body` does. `dataPath`
/// puts the store elsewhere (a small file system).
func withServer(
    in directory: TemporaryDirectory, dataPath: String? = nil, policy: OrchestrationPolicy = .standard,
    scheduler: SchedulerConfiguration = ScriptedAdapter.schedulerConfiguration, access: AccessConfiguration? = nil,
    _ body: @Sendable (_ client: SOMClient, _ store: OrderStore) async throws -> Void
) async throws {
    var logger = Logger(label: "safety-tests")
    logger.logLevel = .warning
    let store = try OrderStore(directory: dataPath ?? directory.appending("data"), logger: logger)
    defer { store.close() }
    var configuration = ServerConfiguration(socketPath: directory.appending("som.sock"))
    configuration.drainTimeout = .seconds(2)
    if access != nil {
        // Roles are about other uids: they must be able to reach the socket.
        configuration.socketMode = 0o666
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
    }
    // Always open, so cuts run whatever the day and hour of the test run.
    let rules = BusinessInputs(calendar: DisconnectCalendar(closedWeekdays: [], closedBeforeHolidays: false, openingHour: 0, cutoffHour: 24))
    let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
    let server = try SOMServer(
        configuration: configuration, store: store, rules: rules, policy: policy, scheduler: scheduler, access: access, logger: logger
    ) {
        readyContinuation.yield()
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        for await _ in ready { break }
        let client = SOMClient(socketPath: configuration.socketPath)
        do {
            try await body(client, store)
        } catch {
            await client.close()
            server.beginGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
        await client.close()
        server.beginGracefulShutdown()
        try await group.waitForAll()
    }
}

/// A head-end and crew adapter whose every answer the test writes: it pulls when told, answers
/// what it is told, and stays silent otherwise.
struct ScriptedAdapter {
    let client: SOMClient

    /// No linger, so a pull gets what is queued at once.
    static var schedulerConfiguration: SchedulerConfiguration {
        SchedulerConfiguration(defaultGatewayLimits: GatewayLimits(batchSize: 100, linger: .zero))
    }

    /// The next batch for `gateway` (leased for `leaseMs`), within 10 s. The pull is cancelled once
    /// the batch is in, so nothing more is leased to this adapter behind the test's back.
    func pull(_ gateway: String, leaseMs: UInt32 = 30_000) async throws -> CommandBatch {
        let call = try await client.rpc.open("/som.v1.Gateways/PullCommands", shape: .serverStreaming, options: CallOptions())
        defer { call.cancel() }
        try await call.send(PullCommandsRequest(gatewayID: gateway, leaseMs: leaseMs).encoded(), endStream: true)
        let responses = TypedCall<PullCommandsRequest, CommandBatch>(call).responses
        return try await within(.seconds(10), "a command batch for \(gateway)") {
            for try await batch in responses { return batch }
            throw AdapterError.ended
        }
    }

    /// The next field-work items (leased for `leaseMs`), within 10 s; the pull is cancelled after.
    func pullField(leaseMs: UInt32 = 60_000) async throws -> [FieldWorkItem] {
        let call = try await client.rpc.open("/som.v1.FieldWork/Pull", shape: .serverStreaming, options: CallOptions())
        defer { call.cancel() }
        try await call.send(PullFieldWorkRequest(leaseMs: leaseMs).encoded(), endStream: true)
        let responses = TypedCall<PullFieldWorkRequest, FieldWorkBatch>(call).responses
        return try await within(.seconds(10), "field work") {
            for try await batch in responses { return batch.items }
            throw AdapterError.ended
        }
    }

    /// Reports one result; returns whether the scheduler applied it.
    @discardableResult
    func report(_ gateway: String, _ commandID: String, _ kind: CommandResultKind, observed: SupplyState = .unspecified, failure: FailureClass = .unspecified) async throws -> Bool {
        let response = try await client.reportResults(ReportResultsRequest(gatewayID: gateway, results: [
            CommandResult(commandID: commandID, kind: kind, failureClass: failure, observedSupplyState: observed, at: .now()),
        ]))
        return response.applied.first ?? false
    }

    /// Polls the order until `condition` holds, within `limit`; fails the test with the last state otherwise.
    func order(_ id: String, until condition: (Order) -> Bool, within limit: Duration = .seconds(20), _ what: String) async throws -> Order {
        let deadline = ContinuousClock.now + limit
        var order = try await client.order(id)
        while !condition(order), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            order = try await client.order(id)
        }
        #expect(condition(order), "\(what): \(order.status)/\(order.subStatus) \(order.statusDetail)")
        return order
    }

    /// Stores devices.
    func devices(_ devices: [ServicePointDevice]) async throws {
        let upsert = try await client.upsertDevices()
        try await upsert.send(UpsertDevicesChunk(chunkID: 1, devices: devices))
        upsert.finishSending()
        for try await result in upsert.responses { #expect(result.rejected == 0) }
    }

    /// Submits a request and returns the new order's id.
    func submit(_ id: String, _ type: OrderType, _ servicePoint: String) async throws -> String {
        try #require(try await client.submit(ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: id, orderType: type, servicePointID: servicePoint)).order).orderID
    }

    /// Orders on a service point, in intake order.
    func orders(on servicePoint: String) async throws -> [Order] {
        try await client.list(ListOrdersRequest(servicePointID: servicePoint)).orders
    }

    enum AdapterError: Error { case ended, timedOut(String) }

    /// `body`'s value, or a failure once `limit` has passed.
    func within<T: Sendable>(_ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw AdapterError.timedOut(what) }
            return value
        }
    }
}

/// A smart meter with a switch, commissioned, on `gateway`.
func smartDevice(_ servicePoint: String, gateway: String = "GW-01", supply: SupplyState = .connected) -> ServicePointDevice {
    ServicePointDevice(
        servicePointID: servicePoint, meterID: "M-\(servicePoint)", technology: .smartWithSwitch, gatewayID: gateway,
        commissioned: true, supplyState: supply, disconnectLocation: supply == .disconnected ? .meterSwitch : .unspecified)
}
