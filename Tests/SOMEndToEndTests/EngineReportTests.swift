import SOMEngine
import Logging
import SOMCodec
import SOMOrchestration
import SOMScheduler
import SOMStore
import SOMTestSupport
import Testing

/// The scheduler sees only a result's id, kind and failure class; the engine finds the rest
/// (readings, supply state) again by the result's position in the report.
@Suite("Engine: a report's results reach their orders whole", .timeLimit(.minutes(1)))
struct EngineReportTests {
    @Test("two results for one command in one report: the order takes in the one the queue completed, reading and all")
    func resultFoundByPosition() async throws {
        try await withEngineStore(prefix: "som-engine") { store, logger in
            let scheduler = Scheduler(configuration: SchedulerConfiguration(defaultGatewayLimits: GatewayLimits(batchSize: 10, linger: .zero)))
            let engine = OrderEngine(store: store, scheduler: scheduler, logger: logger)
            _ = try await store.upsertDevices([smartDevice("SP-R")])
            let submitted = try await store.submit([Order(
                request: ServiceOrderRequest(sourceSystem: .mdm, sourceRequestID: "R-1", orderType: .offCycleRead, servicePointID: "SP-R"),
                status: .received)])
            guard case .accepted(let order) = try #require(submitted.first) else { Issue.record("not accepted"); return }
            await engine.step(order.orderID, .evaluate)
            let pulled = await scheduler.pull(gatewayID: "GW-01")
            await engine.handle(pulled.events)
            let commandID = try #require(pulled.batch?.commands.first?.commandID)

            // The transient failure is retried inside the queue; the success after it completes the command.
            let reading = Reading(valueMilli: 4_242_000, unit: "kWh", readAt: Timestamp(seconds: 1_700_000_000), meterID: "M-SP-R")
            let (applied, failure) = await engine.report([
                CommandResult(commandID: commandID, kind: .failed, failureClass: .transient, detail: "busy"),
                CommandResult(commandID: commandID, kind: .succeeded, reading: reading),
            ], gatewayID: "GW-01")
            #expect(applied == [true, true])
            #expect(failure == nil)
            let read = try #require(try store.order(order.orderID).activities.first { $0.command == .onDemandRead })
            #expect(read.status == .succeeded, "\(read)")
            #expect(read.reading?.valueMilli == 4_242_000)
        }
    }
}
