import Foundation
import Logging
import SOMClient
import SOMCodec
import SOMOrchestration
import SOMScheduler
import SOMServer
import SOMStore
import SOMTestSupport
import SOMTransport
import Testing

/// somsim next to somd (same build products).
enum SomsimBinary {
    static let path: String? = SomdBinary.path.map { (($0 as NSString).deletingLastPathComponent as NSString).appendingPathComponent("somsim") }
        .flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
}

@Suite("Orders driven to completion by somsim over the public API", .timeLimit(.minutes(5)))
struct SimulationTests {
    /// The service points of the test, one per meter situation.
    static let situations: [(name: String, device: ServicePointDevice)] = [
        ("switch-on", ServicePointDevice(meterID: "M1", technology: .smartWithSwitch, gatewayID: "GW-01", commissioned: true, supplyState: .connected)),
        ("switch-off", ServicePointDevice(meterID: "M2", technology: .smartWithSwitch, gatewayID: "GW-02", commissioned: true, supplyState: .disconnected, disconnectLocation: .meterSwitch)),
        ("noswitch-on", ServicePointDevice(meterID: "M3", technology: .smartNoSwitch, gatewayID: "GW-01", commissioned: true, supplyState: .connected)),
        ("manual-on", ServicePointDevice(meterID: "M4", technology: .manual, supplyState: .connected)),
        ("manual-off", ServicePointDevice(meterID: "M5", technology: .manual, supplyState: .disconnected, disconnectLocation: .meterSeal)),
        ("no-meter", ServicePointDevice(technology: .none, supplyState: .disconnected, disconnectLocation: .source)),
    ]

    static let types: [OrderType] = [
        .enableService, .disableService, .cutForNonPayment, .reconnectForPayment, .exchangeMeter, .installMeter,
        .removeMeter, .offCycleRead, .investigate, .deviceTest,
    ]

    /// What must hold at the end for some pairs (the rest must simply finish or be held with a reason).
    static func expectation(_ type: OrderType, _ situation: String) -> (OrderStatus, Outcome, SupplyState?)? {
        switch (type, situation) {
        case (.enableService, "switch-off"): return (.completed, .completedRemote, .connected)
        // Already on: no switching, only the start reading, taken remotely.
        case (.enableService, "switch-on"): return (.completed, .completedRemote, .connected)
        case (.disableService, "switch-on"): return (.completed, .completedRemote, .disconnected)
        case (.cutForNonPayment, "switch-on"): return (.completed, .completedRemote, .disconnected)
        case (.cutForNonPayment, "manual-on"): return (.completed, .completedField, .disconnected)
        case (.cutForNonPayment, "switch-off"): return (.completed, .noActionNeeded, .disconnected)
        case (.reconnectForPayment, "switch-off"): return (.completed, .completedRemote, .connected)
        case (.reconnectForPayment, "manual-off"): return (.completed, .completedField, .connected)
        case (.offCycleRead, "switch-on"): return (.completed, .completedRemote, nil)
        case (.offCycleRead, "manual-on"): return (.completed, .completedField, nil)
        case (.installMeter, "no-meter"): return (.completed, .completedField, nil)
        case (.exchangeMeter, "manual-on"): return (.completed, .completedField, nil)
        default: return nil
        }
    }

    @Test("every order type on every meter situation ends completed, failed or held, with the documented path",
          .enabled(if: SomsimBinary.path != nil, "somsim is not built next to somd"))
    func everyTypeEveryTechnology() async throws {
        try await withSimulatedServer { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            var devices: [ServicePointDevice] = []
            var requests: [(ServiceOrderRequest, String)] = []
            for type in Self.types {
                for (name, template) in Self.situations {
                    var device = template
                    device.servicePointID = "SP-\(type.rawValue)-\(name)"
                    if !device.meterID.isEmpty { device.meterID += "-\(type.rawValue)" }
                    devices.append(device)
                    var request = ServiceOrderRequest(sourceSystem: .cis, sourceRequestID: "SIM-\(type.rawValue)-\(name)", orderType: type, servicePointID: device.servicePointID)
                    if type == .deviceTest { request.deviceConfiguration = Array("profile=1".utf8) }
                    requests.append((request, name))
                }
            }
            let upsert = try await client.upsertDevices()
            try await upsert.send(UpsertDevicesChunk(chunkID: 1, devices: devices))
            upsert.finishSending()
            for try await result in upsert.responses { #expect(result.rejected == 0) }
            var ids: [String: (OrderType, String)] = [:]
            for (request, name) in requests {
                let order = try #require(try await client.submit(request).order)
                ids[order.orderID] = (request.orderType, name)
            }
            // Wait (bounded) until no order is still on its way.
            let deadline = ContinuousClock.now + .seconds(60)
            var finished: [String: Order] = [:]
            while ContinuousClock.now < deadline {
                finished = [:]
                for id in ids.keys {
                    let order = try await client.order(id)
                    if order.status.isTerminal || order.status == .held { finished[id] = order }
                }
                if finished.count == ids.count { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            for (id, (type, situation)) in ids.sorted(by: { $0.key < $1.key }) {
                guard let order = finished[id] else {
                    let stuck = try await client.order(id)
                    Issue.record("\(id) \(type.protoName ?? "") on \(situation) did not finish: \(stuck.status) \(stuck.subStatus) — \(stuck.statusDetail)")
                    continue
                }
                #expect(!order.statusDetail.isEmpty, "\(id) ends without saying why")
                if order.status == .held { #expect(order.holdReason != .unspecified && order.nextCheckAt != nil) }
                // Billing's reading, wherever there is a meter to read.
                if order.status == .completed, situation != "no-meter" || type == .installMeter,
                   [.enableService, .disableService, .offCycleRead, .exchangeMeter, .installMeter].contains(type) {
                    #expect(order.reading != nil, "\(id) \(type) on \(situation) completed without the reading billing needs")
                }
                guard let (status, outcome, supply) = Self.expectation(type, situation) else { continue }
                #expect(order.status == status && order.outcome == outcome,
                        "\(type.protoName ?? "") on \(situation): \(order.status)/\(order.outcome) — \(order.statusDetail)")
                if let supply {
                    let device = try await client.device(servicePointID: order.request?.servicePointID ?? "")
                    #expect(device.supplyState == supply, "\(type.protoName ?? "") on \(situation): supply \(device.supplyState)")
                }
            }
            // Every command went through a gateway: the scheduler saw results.
            let gateways = try await client.gateways()
            #expect(gateways.gateways.reduce(0) { $0 + $1.succeeded } > 0)
            _ = store
        }
    }
}

/// A full server (always-open disconnect calendar, so the test does not depend on the weekday)
/// with somsim attached as a child process (no latency, no failures); both stopped at the end.
func withSimulatedServer(
    simulate: Bool = true, policy: OrchestrationPolicy = .standard, scheduler: SchedulerConfiguration = SchedulerConfiguration(),
    simulatorArguments: [String] = [], rules: BusinessInputs? = nil,
    _ body: @Sendable (_ socket: String, _ store: OrderStore) async throws -> Void
) async throws {
    let directory = try TemporaryDirectory(prefix: "som-sim")
    defer { directory.remove() }
    var logger = Logger(label: "simulation-tests")
    logger.logLevel = .warning
    var options = OrderStore.Options()
    options.durable = false
    let store = try OrderStore(directory: directory.appending("data"), options: options, logger: logger)
    defer { store.close() }
    var configuration = ServerConfiguration(socketPath: directory.appending("som.sock"))
    configuration.socketMode = 0o666
    configuration.drainTimeout = .seconds(2)
    let rules = rules ?? BusinessInputs(calendar: DisconnectCalendar(closedWeekdays: [], closedBeforeHolidays: false, openingHour: 0, cutoffHour: 24))
    let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
    let server = try SOMServer(configuration: configuration, store: store, rules: rules, policy: policy, scheduler: scheduler, logger: logger) { readyContinuation.yield() }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        for await _ in ready { break }
        let simulator = Process()
        simulator.executableURL = URL(fileURLWithPath: SomsimBinary.path ?? "/nonexistent")
        simulator.arguments = [
            "--socket", configuration.socketPath, "--gateway-count", "2", "--crews", "3", "--latency-ms", "0",
            "--travel-ms", "0", "--work-ms", "0", "--transient-rate", "0", "--permanent-rate", "0", "--unknown-rate", "0",
            "--safety-rate", "0", "--not-done-rate", "0", "--report-every", "0", "--seed", "7",
        ] + simulatorArguments
        simulator.standardOutput = FileHandle.nullDevice
        simulator.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do {
            if simulate { try simulator.run() }
            defer {
                if simulate {
                    simulator.terminate()
                    simulator.waitUntilExit()
                }
            }
            try await body(configuration.socketPath, store)
        } catch {
            server.beginGracefulShutdown()
            throw error
        }
        server.beginGracefulShutdown()
        try await group.waitForAll()
    }
}
