import Foundation
import SOMClient
import SOMCodec
import SOMRPC
import SOMServer
import SOMStore
import SOMTransport
import SOMTestSupport
import Testing

@Suite("Orders service over the socket", .timeLimit(.minutes(5)))
struct OrdersServiceTests {
    @Test("Submit stores, Get returns the stored bytes, a retry is flagged duplicate, other content is ALREADY_EXISTS")
    func submitAndGet() async throws {
        try await withOrderServer { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let first = try await client.submit(orderRequest("S-1"))
            #expect(!first.duplicate)
            let order = try #require(first.order)
            #expect(order.status == .received)
            #expect(order.effectivePriority == .serviceChange)
            #expect(try await client.order(order.orderID) == order)
            let raw = try await client.rpc.unary("/som.v1.Orders/Get", request: GetOrderRequest(orderID: order.orderID).encoded())
            #expect(try GetOrderResponse(decoding: raw).order == order)
            #expect(Array(raw.dropFirst(2)) == (try store.orderBytes(order.orderID)), "Get must splice the stored bytes")

            let again = try await client.submit(orderRequest("S-1"))
            #expect(again.duplicate && again.order == order)
            let conflict = await #expect(throws: RPCError.self) { try await client.submit(orderRequest("S-1", notes: "changed")) }
            #expect(conflict?.code == .alreadyExists)
            #expect(conflict?.message.contains(order.orderID) == true)
            #expect(conflict?.details["order_id"] == order.orderID)
        }
    }

    @Test("invalid requests get INVALID_ARGUMENT naming the field; unknown ids NOT_FOUND")
    func validation() async throws {
        try await withOrderServer { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            var missingSP = orderRequest("V-1")
            missingSP.servicePointID = ""
            let cases: [(ServiceOrderRequest, String)] = [
                (missingSP, "request.service_point_id"),
                (ServiceOrderRequest(sourceSystem: .unrecognized(77), sourceRequestID: "x", orderType: .enableService, servicePointID: "SP"), "request.source_system"),
                ({ var r = orderRequest("V-2"); r.appointmentWindow = TimeWindow(start: Timestamp(seconds: 100), end: Timestamp(seconds: 50)); return r }(), "request.appointment_window"),
                ({ var r = orderRequest("V-3", type: .backToBack); r.outgoingAgreementID = "A"; return r }(), "request.incoming_agreement_id"),
            ]
            for (request, field) in cases {
                let error = await #expect(throws: RPCError.self) { try await client.submit(request) }
                #expect(error?.code == .invalidArgument)
                #expect(error?.details["field"] == field, "\(String(describing: error))")
            }
            let missing = await #expect(throws: RPCError.self) { try await client.order("SO000000000042") }
            #expect(missing?.code == .notFound)
        }
    }

    @Test("SubmitBatch answers per item: valid items accepted beside invalid and duplicate ones")
    func batchDispositions() async throws {
        try await withOrderServer { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            _ = try await client.submit(orderRequest("B-0"))
            let call = try await client.submitBatch()
            var bad = orderRequest("B-2")
            bad.orderType = .unspecified
            try await call.send(SubmitBatchChunk(chunkID: 7, requests: [orderRequest("B-1"), bad, orderRequest("B-0"), orderRequest("B-3"), orderRequest("B-1")]))
            call.finishSending()
            var results: [SubmitBatchChunkResult] = []
            for try await result in call.responses { results.append(result) }
            let result = try #require(results.first)
            #expect(results.count == 1)
            #expect(result.chunkID == 7)
            #expect((result.accepted, result.duplicates, result.rejected) == (2, 2, 1))
            #expect(result.items.map(\.disposition) == [.accepted, .rejected, .duplicate, .accepted, .duplicate])
            #expect(result.items[1].field == "requests[1].order_type")
            #expect(result.items[1].code == RPCStatus.Code.invalidArgument.rawValue)
            #expect(result.items[2].orderID == "SO000000000001")
            #expect(result.items[4].orderID == result.items[0].orderID)
            #expect(try store.counts().orders == 3)
        }
    }

    @Test("a client may pipeline many chunks: results come back complete and in chunk order")
    func batchPipelining() async throws {
        var limits = OrdersService.Limits()
        limits.batchChunksInFlight = 4
        try await withOrderServer(limits: limits) { socket, store in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            let call = try await client.submitBatch()
            let chunks = 40, perChunk = 250
            async let collected: [SubmitBatchChunkResult] = {
                var results: [SubmitBatchChunkResult] = []
                for try await result in call.responses { results.append(result) }
                return results
            }()
            for chunk in 0..<chunks {
                let requests = (0..<perChunk).map { orderRequest("P-\(chunk)-\($0)", servicePoint: "SP-\(($0 * 7919 + chunk) % 1000)") }
                try await call.send(SubmitBatchChunk(chunkID: UInt64(chunk), requests: requests))
            }
            call.finishSending()
            let results = try await collected
            #expect(results.map(\.chunkID) == (0..<UInt64(chunks)).map { $0 })
            #expect(results.allSatisfy { $0.accepted == perChunk })
            #expect(try store.counts().orders == chunks * perChunk)
            let ids = results.flatMap { $0.items.map(\.orderID) }
            #expect(Set(ids).count == chunks * perChunk)
        }
    }

    @Test("16 connections submitting the same key concurrently create one order")
    func concurrentDuplicatesAcrossConnections() async throws {
        try await withOrderServer { socket, store in
            let responses = try await withThrowingTaskGroup(of: SubmitOrderResponse.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        let client = SOMClient(socketPath: socket)
                        defer { Task { await client.close() } }
                        return try await client.submit(orderRequest("SAME-KEY"))
                    }
                }
                return try await group.reduce(into: [SubmitOrderResponse]()) { $0.append($1) }
            }
            #expect(responses.filter { !$0.duplicate }.count == 1)
            #expect(Set(responses.compactMap { $0.order?.orderID }).count == 1)
            #expect(try store.counts().orders == 1)
        }
    }

    @Test("List filters and pages over the socket; Cancel refuses terminal orders")
    func listAndCancel() async throws {
        try await withOrderServer { socket, _ in
            let client = SOMClient(socketPath: socket)
            defer { Task { await client.close() } }
            for index in 0..<12 { _ = try await client.submit(orderRequest("L-\(index)", servicePoint: "SP-\(index % 2)")) }
            var request = ListOrdersRequest(servicePointID: "SP-1", pageSize: 4)
            var seen: [String] = []
            while true {
                let page = try await client.list(request)
                seen += page.orders.map(\.orderID)
                if page.nextPageToken.isEmpty { break }
                request.pageToken = page.nextPageToken
            }
            #expect(seen == ["SO000000000002", "SO000000000004", "SO000000000006", "SO000000000008", "SO000000000010", "SO000000000012"])
            let tooBig = await #expect(throws: RPCError.self) { try await client.list(ListOrdersRequest(pageSize: 5000)) }
            #expect(tooBig?.details["field"] == "page_size")
            let badToken = await #expect(throws: RPCError.self) { try await client.list(ListOrdersRequest(pageToken: "nonsense")) }
            #expect(badToken?.code == .invalidArgument)

            let cancelled = try await client.cancel(CancelOrderRequest(orderID: "SO000000000003", reason: "customer called"))
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.statusDetail.contains("customer called"), "\(cancelled.statusDetail)")
            let again = await #expect(throws: RPCError.self) { try await client.cancel(CancelOrderRequest(orderID: "SO000000000003")) }
            #expect(again?.code == .failedPrecondition)
        }
    }
}
