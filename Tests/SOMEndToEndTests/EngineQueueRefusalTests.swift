import SOMEngine
import Logging
import SOMCodec
import SOMOrchestration
import SOMScheduler
import SOMStore
import SOMTestSupport
import Testing

/// The engine over a real store and scheduler, without a socket.
@Suite("Engine: work the queue will not take reaches its order", .timeLimit(.minutes(1)))
struct EngineQueueRefusalTests {
    @Test("a command the queue rejects fails its activity for good, and the order moves on instead of waiting for it")
    func rejectedCommand() async throws {
        try await withEngineStore(prefix: "som-engine") { store, logger in
            let engine = OrderEngine(store: store, scheduler: Scheduler(), logger: logger)
            // A smart meter whose gateway nobody recorded: its read cannot be queued anywhere.
            _ = try await store.upsertDevices([smartDevice("SP-NG", gateway: "")])
            let submitted = try await store.submit([Order(
                request: ServiceOrderRequest(sourceSystem: .mdm, sourceRequestID: "NG-1", orderType: .offCycleRead, servicePointID: "SP-NG"),
                status: .received)])
            guard case .accepted(let order) = try #require(submitted.first) else { Issue.record("not accepted"); return }
            await engine.step(order.orderID, .evaluate)
            let after = try store.order(order.orderID)
            let read = try #require(after.activities.first { $0.command == .onDemandRead }, "no remote read was planned: \(after.activities)")
            #expect(read.status == .failed, "\(read)")
            #expect(await engine.scheduler.commands(ofOrder: .init(order.orderID)).isEmpty)
            // The order did not stay waiting on the read that was never queued.
            #expect(after.status != .inProgress || after.activities.contains { $0.fieldActivity != .unspecified }, "\(after.status) \(after.statusDetail)")
        }
    }
}
