import SOMEngine
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMStore

extension OrdersService {
    /// A billing run's stream: each chunk is validated, its valid items are queued for the next group
    /// commit at once, and its result is sent after the commit — in chunk order.
    ///
    /// Reading and answering run concurrently, so a client can keep several chunks in flight (the
    /// writer then commits them together). `batchChunksInFlight` permits bound the chunks between
    /// "read" and "answered"; when they run out we stop reading, the stream's credit stops, and the
    /// client waits: memory stays bounded however fast it sends.
    func submitBatch(_ chunks: MessageStream<SubmitBatchChunk>, _ results: MessageWriter<SubmitBatchChunkResult>, peer: PeerCredentials? = nil) async throws {
        let permits = AsyncPermits(limits.batchChunksInFlight)
        let (pending, queue) = AsyncStream.makeStream(of: Ticket<Result<SubmitBatchChunkResult, StoreError>>.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { permits.close() }
                for await ticket in pending {
                    try await results.write(try await ticket.value.get())
                    permits.release()
                }
            }
            do {
                for try await chunk in chunks {
                    // Closed: answering failed (e.g. storage full); the error ends the call below,
                    // and no later chunk is committed without its answer.
                    guard await permits.acquire() else { break }
                    try Task.checkCancellation()
                    queue.yield(intake(chunk, peer: peer))
                }
                queue.finish()
            } catch {
                queue.finish()
                throw error
            }
            try await group.waitForAll()
        }
    }

    /// Validates a chunk and queues its valid items; the ticket resolves with the chunk's result.
    /// Items for a source system `peer` may not submit for are rejected with PERMISSION_DENIED.
    func intake(_ chunk: SubmitBatchChunk, peer: PeerCredentials? = nil) -> Ticket<Result<SubmitBatchChunkResult, StoreError>> {
        let ticket = Ticket<Result<SubmitBatchChunkResult, StoreError>>()
        let now = clock()
        var items = [SubmitBatchItemResult](repeating: SubmitBatchItemResult(), count: chunk.requests.count)
        var templates: [IntakeItem] = []
        var positions: [Int] = []
        var cancelling: [Int] = []
        templates.reserveCapacity(chunk.requests.count)
        positions.reserveCapacity(chunk.requests.count)
        // The caller's scope once per chunk, not per item: billing runs send 100k items.
        let sources = peer.flatMap(access.submitScope)
        for (index, request) in chunk.requests.enumerated() {
            items[index].index = UInt32(index)
            if let sources, let peer, !sources.contains(request.sourceSystem),
               let refusal = access.submitRefusal(peer, source: request.sourceSystem) {
                items[index].disposition = .rejected
                items[index].code = RPCStatus.Code.permissionDenied.rawValue
                items[index].field = "requests[\(index)].source_system"
                items[index].reason = refusal
                continue
            }
            do {
                try RequestValidation.check(request, path: "")
                if !request.cancelsSourceRequestID.isEmpty {
                    cancelling.append(index)
                    continue
                }
                templates.append(IntakeItem(OrderIntake.newOrder(request, now: now)))
                positions.append(index)
            } catch {
                let violation = error.prefixed("requests[\(index)]")
                items[index].disposition = .rejected
                items[index].code = RPCStatus.Code.invalidArgument.rawValue
                items[index].field = violation.field
                items[index].reason = violation.reason
            }
        }
        let chunkID = chunk.chunkID
        let validated = items
        let accepted = positions
        let cancels = cancelling
        guard cancels.isEmpty else {
            // Cancelling requests run after the chunk's new orders are stored, so one may cancel
            // an order of the same chunk; they are few, and each is a cancel rather than an intake.
            let orders = intake(SubmitBatchChunk(chunkID: chunkID, requests: chunk.requests.enumerated().map { index, request in
                cancels.contains(index) ? ServiceOrderRequest() : request
            }))
            let requests = chunk.requests
            Task {
                let result = await orders.value
                guard case .success(var summary) = result else {
                    ticket.fulfil(result)
                    return
                }
                for index in cancels {
                    summary.items[index] = await cancelItem(requests[index], index: index)
                }
                ticket.fulfil(.success(Self.summarise(chunkID, summary.items)))
            }
            return ticket
        }
        guard !templates.isEmpty else {
            ticket.fulfil(.success(Self.summarise(chunkID, validated)))
            return ticket
        }
        let evaluations = self.evaluations
        store.enqueueSubmit(templates) { result in
            if case .success(let outcomes) = result {
                evaluations.submit(outcomes.compactMap { outcome in
                    if case .accepted(let order) = outcome { return order.orderID } else { return nil }
                })
            }
            ticket.fulfil(result.map { outcomes in
                var items = validated
                for (position, outcome) in zip(accepted, outcomes) {
                    switch outcome {
                    case .accepted(let order):
                        items[position].disposition = .accepted
                        items[position].orderID = order.orderID
                    case .duplicate(let order):
                        items[position].disposition = .duplicate
                        items[position].orderID = order.orderID
                    case .conflict(let existing):
                        let status = StoreError.idempotencyConflict(existingOrderID: existing).rpcStatus
                        items[position].disposition = .rejected
                        items[position].orderID = existing
                        items[position].code = status.code.rawValue
                        items[position].field = "requests[\(position)].source_request_id"
                        items[position].reason = status.message
                    }
                }
                return Self.summarise(chunkID, items)
            })
        }
        return ticket
    }

    /// The result of one cancelling request of a batch (see `submitCancellation`).
    func cancelItem(_ request: ServiceOrderRequest, index: Int) async -> SubmitBatchItemResult {
        var item = SubmitBatchItemResult()
        item.index = UInt32(index)
        do {
            let response = try await submitCancellation(request, path: "requests[\(index)]")
            item.disposition = response.duplicate ? .duplicate : .accepted
            item.orderID = response.order?.orderID ?? ""
        } catch {
            let status = (error as? any RPCStatusConvertible)?.rpcStatus ?? RPCStatus(code: .internal, message: "\(error)")
            item.disposition = .rejected
            item.code = status.code.rawValue
            item.field = status.details["field"] ?? ""
            item.orderID = status.details["order_id"] ?? ""
            item.reason = status.message
        }
        return item
    }

    static func summarise(_ chunkID: UInt64, _ items: [SubmitBatchItemResult]) -> SubmitBatchChunkResult {
        var result = SubmitBatchChunkResult(chunkID: chunkID, items: items)
        for item in items {
            switch item.disposition {
            case .accepted: result.accepted += 1
            case .duplicate: result.duplicates += 1
            default: result.rejected += 1
            }
        }
        return result
    }
}
