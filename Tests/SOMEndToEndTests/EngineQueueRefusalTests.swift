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

@Suite("Engine: the evaluation backlog beyond memory stays in the store", .timeLimit(.minutes(1)))
struct EvaluationBacklogTests {
    @Test("ids beyond the queue's capacity are dropped from memory and evaluated from the store's RECEIVED orders")
    func backlogBeyondCapacity() async throws {
        try await withEngineStore(prefix: "som-backlog") { store, logger in
            let engine = OrderEngine(store: store, scheduler: Scheduler(), logger: logger)
            let queue = EvaluationQueue(engine: engine, capacity: 256)
            let templates = (0..<700).map { index in
                Order(request: ServiceOrderRequest(
                    sourceSystem: .mdm, sourceRequestID: "B-\(index)", orderType: .offCycleRead, servicePointID: "SP-B\(index)"),
                    status: .received)
            }
            let outcomes = try await store.submit(templates)
            let ids = outcomes.compactMap { outcome -> String? in
                if case .accepted(let order) = outcome { return order.orderID } else { return nil }
            }
            #expect(ids.count == 700)
            queue.submit(ids)
            let worker = Task { await queue.run() }
            defer { worker.cancel() }
            let deadline = ContinuousClock.now + .seconds(50)
            while (store.openCounts[.received] ?? 0) > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(store.openCounts[.received] ?? 0 == 0, "orders left unevaluated: \(store.openCounts)")
            #expect(try ids.allSatisfy { try store.order($0).status != .received })
        }
    }

    @Test("submitAllReceived evaluates what the store holds as RECEIVED, a page at a time")
    func everythingReceived() async throws {
        try await withEngineStore(prefix: "som-backlog") { store, logger in
            let engine = OrderEngine(store: store, scheduler: Scheduler(), logger: logger)
            let queue = EvaluationQueue(engine: engine, capacity: 256)
            _ = try await store.submit((0..<600).map { index in
                Order(request: ServiceOrderRequest(
                    sourceSystem: .mdm, sourceRequestID: "R-\(index)", orderType: .offCycleRead, servicePointID: "SP-R\(index)"),
                    status: .received)
            })
            let worker = Task { await queue.run() }
            defer { worker.cancel() }
            queue.submitAllReceived()
            let deadline = ContinuousClock.now + .seconds(50)
            while (store.openCounts[.received] ?? 0) > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(store.openCounts[.received] ?? 0 == 0, "orders left unevaluated: \(store.openCounts)")
        }
    }
}
