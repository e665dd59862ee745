import SOMEngine
import CoreMetrics
import SOMCodec
import SOMOrchestration
import SOMRPC
import SOMStore

extension OrdersService {
    /// Streams the event log from `from_sequence` (0 = from now), then live.
    ///
    /// Each page is read in its own short read transaction, so a watcher never pins an LMDB snapshot;
    /// when caught up it parks on the event head. Responses carry `head_sequence` = the last sequence
    /// examined, so a filtered watcher can resume after events it did not want: resuming from
    /// `head_sequence + 1` gives no gap and no duplicate. Unfiltered pages are spliced from stored bytes.
    func watch(_ request: WatchOrdersRequest, _ writer: ResponseWriter) async throws {
        try FieldChecks.known(request.sourceSystem, "source_system", unspecified: .unspecified, allowUnspecified: true)
        try FieldChecks.known(request.orderType, "order_type", unspecified: .unspecified, allowUnspecified: true)
        let filter = WatchFilter(request)
        let headAtStart = store.head.current
        // Beyond the head the log has not reached it: a watcher that saw more than this store holds
        // (it was restored from an older backup) would silently skip every event up to its number.
        guard request.fromSequence <= headAtStart + 1 else {
            throw RPCError(
                .outOfRange,
                "from_sequence \(request.fromSequence) is beyond the event head \(headAtStart): this store has not written it "
                    + "(was it restored from a backup?); resume from \(headAtStart + 1), or from 1 to read again what the store holds",
                details: ["head": String(headAtStart)])
        }
        var next = request.fromSequence == 0 ? headAtStart + 1 : request.fromSequence
        // Due at once: the first response tells the watcher where the head is.
        var lastHeartbeat = ContinuousClock.now - limits.watchHeartbeat
        WatchMetrics.watchers.increment()
        defer { WatchMetrics.watchers.decrement() }
        while !Task.isCancelled {
            // Reading first: a position below the retention floor is OUT_OF_RANGE, whatever the lag.
            let page = try store.events(from: next, limit: limits.watchBatch)
            let head = store.head.current
            WatchMetrics.lag.record(head >= next ? head - next + 1 : 0)
            if head >= next, head - next > limits.watchMaxLag {
                throw RPCError(
                    .resourceExhausted,
                    "this watcher is \(head - next) events behind the head (limit \(limits.watchMaxLag)); resume with from_sequence \(next)",
                    details: ["resume_from": String(next)])
            }
            if let last = page.events.last {
                var response: [UInt8] = []
                var matched = 0
                for event in page.events where filter.matches(event.bytes) {
                    ProtoWire.appendLengthDelimited(field: 1, event.bytes, to: &response)
                    matched += 1
                }
                next = last.sequence + 1
                if matched > 0 || ContinuousClock.now - lastHeartbeat >= limits.watchHeartbeat {
                    ProtoWire.appendVarintField(field: 2, last.sequence, to: &response)
                    try await writer.write(response)
                    lastHeartbeat = .now
                }
                continue
            }
            if ContinuousClock.now - lastHeartbeat >= limits.watchHeartbeat {
                var response: [UInt8] = []
                ProtoWire.appendVarintField(field: 2, next - 1, to: &response)
                try await writer.write(response)
                lastHeartbeat = .now
            }
            await store.head.wait(beyond: next - 1, until: lastHeartbeat + limits.watchHeartbeat)
        }
        throw CancellationError()
    }
}

/// The optional filters of a watch; an event must match all that are set. Stored events are
/// matched on their top-level fields (`ProtoFieldScan`) without decoding them: a filtered watcher
/// looks at every event of the log, and most do not match.
struct WatchFilter {
    let orderID: [UInt8]?
    let servicePointID: [UInt8]?
    let sourceSystem: UInt64?
    let orderType: UInt64?

    init(_ request: WatchOrdersRequest) {
        orderID = request.orderID.isEmpty ? nil : Array(request.orderID.utf8)
        servicePointID = request.servicePointID.isEmpty ? nil : Array(request.servicePointID.utf8)
        sourceSystem = request.sourceSystem == .unspecified ? nil : UInt64(request.sourceSystem.rawValue)
        orderType = request.orderType == .unspecified ? nil : UInt64(request.orderType.rawValue)
    }

    var isEmpty: Bool { orderID == nil && servicePointID == nil && sourceSystem == nil && orderType == nil }

    /// Whether the encoded `OrderEvent` matches. A field absent from the bytes has its default
    /// (empty, 0), as proto3 encodes it.
    func matches(_ bytes: [UInt8]) -> Bool {
        if isEmpty { return true }
        var order: Range<Int>?, servicePoint: Range<Int>?
        var source: UInt64 = 0, type: UInt64 = 0
        let wellFormed = ProtoFieldScan.fields(bytes) { number, value in
            switch (number, value) {
            case (2, .bytes(let range)): order = range
            case (8, .bytes(let range)): servicePoint = range
            case (7, .varint(let v)): source = v
            case (9, .varint(let v)): type = v
            default: break
            }
            return true
        }
        guard wellFormed else { return false }
        func equal(_ range: Range<Int>?, _ wanted: [UInt8]) -> Bool {
            guard let range else { return wanted.isEmpty }
            return bytes[range].elementsEqual(wanted)
        }
        if let orderID, !equal(order, orderID) { return false }
        if let servicePointID, !equal(servicePoint, servicePointID) { return false }
        if let sourceSystem, source != sourceSystem { return false }
        if let orderType, type != orderType { return false }
        return true
    }
}
