import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMServer
import SOMStore
import SOMTestSupport
import Testing

@Suite("Watch over the socket", .timeLimit(.minutes(3)))
struct WatchTests {
    /// Reads responses until `count` events arrived; returns them and the last head_sequence seen.
    func take(_ count: Int, from responses: TypedResponses<WatchOrdersResponse>) async throws -> (events: [OrderEvent], head: UInt64) {
        var events: [OrderEvent] = []
        var head: UInt64 = 0
        for try await response in responses {
            events += response.events
            head = response.headSequence
            if events.count >= count { break }
        }
        return (events, head)
    }

    @Test("a watcher that disconnects and resumes from head_sequence + 1 sees every event exactly once")
    func resume() async throws {
        var limits = OrdersService.Limits()
        limits.watchBatch = 7
        try await withOrderServer(limits: limits) { socket, _ in
            let writer = SOMClient(socketPath: socket)
            defer { Task { await writer.close() } }
            for index in 0..<30 { _ = try await writer.submit(orderRequest("W-\(index)")) }

            let first = SOMClient(socketPath: socket)
            let part1 = try await take(10, from: first.watch(WatchOrdersRequest(fromSequence: 1)))
            await first.close()  // gone mid-stream

            // More events while nobody watches, then more while the second watcher is live.
            for index in 30..<40 { _ = try await writer.submit(orderRequest("W-\(index)")) }
            let second = SOMClient(socketPath: socket)
            defer { Task { await second.close() } }
            let stream = try await second.watch(WatchOrdersRequest(fromSequence: part1.head + 1))
            let feeder = Task { for index in 40..<50 { _ = try await writer.submit(orderRequest("W-\(index)")) } }
            let part2 = try await take(50 - Int(part1.head), from: stream)
            try await feeder.value
            let sequences = (part1.events + part2.events).map(\.sequence)
            #expect(sequences == Array(1...50), "no gap and no duplicate")
            #expect(part2.events.last?.type == .received)
        }
    }

    @Test("a watch from now gets only new events, and filters keep heartbeats flowing with the head")
    func liveAndFiltered() async throws {
        try await withOrderServer { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            _ = try await client.submit(orderRequest("OLD"))
            let live = try await client.watch(WatchOrdersRequest())
            let filtered = try await client.watch(WatchOrdersRequest(fromSequence: 1, servicePointID: "SP-B"))
            var liveIterator = live.makeAsyncIterator()
            let greeting = try #require(try await liveIterator.next())
            #expect(greeting.events.isEmpty && greeting.headSequence == 1, "the first response names the head")
            _ = try await client.submit(orderRequest("A", servicePoint: "SP-A"))
            _ = try await client.submit(orderRequest("B", servicePoint: "SP-B"))
            var liveEvents: [OrderEvent] = []
            while liveEvents.count < 2, let response = try await liveIterator.next() { liveEvents += response.events }
            #expect(liveEvents.map(\.sequence) == [2, 3])
            let matched = try await take(1, from: filtered)
            #expect(matched.events.map(\.servicePointID) == ["SP-B"])
            #expect(matched.head == 3)
        }
    }

    @Test("a watch below the retention floor or beyond the head is OUT_OF_RANGE naming it; a far-behind watcher is told where to resume")
    func floorAndLag() async throws {
        var limits = OrdersService.Limits()
        limits.watchMaxLag = 20
        try await withOrderServer(limits: limits) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let call = try await client.submitBatch()
            try await call.send(SubmitBatchChunk(chunkID: 1, requests: (0..<60).map { orderRequest("F-\($0)") }))
            call.finishSending()
            for try await _ in call.responses {}
            try await store.trimEvents(below: 10)
            let below = await #expect(throws: RPCError.self) { _ = try await take(1, from: client.watch(WatchOrdersRequest(fromSequence: 3))) }
            #expect(below?.code == .outOfRange)
            #expect(below?.details["floor"] == "10")
            let behind = await #expect(throws: RPCError.self) { _ = try await take(60, from: client.watch(WatchOrdersRequest(fromSequence: 10))) }
            #expect(behind?.code == .resourceExhausted)
            #expect(behind?.details["resume_from"] == "10")
            let near = try await take(5, from: client.watch(WatchOrdersRequest(fromSequence: 50)))
            #expect(near.events.first?.sequence == 50)
            // Beyond the head (a watcher that saw more than this store holds): OUT_OF_RANGE naming the head.
            let head = store.head.current
            let beyond = await #expect(throws: RPCError.self) { _ = try await take(1, from: client.watch(WatchOrdersRequest(fromSequence: head + 2))) }
            #expect(beyond?.code == .outOfRange && beyond?.details["head"] == String(head), "\(String(describing: beyond))")
            let next = try await client.watch(WatchOrdersRequest(fromSequence: head + 1))
            for try await response in next {
                #expect(response.events.isEmpty && response.headSequence == head, "the first answer at the head names it")
                break
            }
        }
    }
}
