import CoreMetrics
import NIOConcurrencyHelpers
public import SOMServer
import SOMCodec
import SOMScheduler
import SOMStore

/// Turns `ServerFigures` into metrics at scrape time: gauges are set to the current value;
/// the scheduler's running totals become counters moved by what they grew since the last scrape
/// (a Prometheus counter only goes up, and the scheduler already keeps the totals).
public final class FiguresExporter: Sendable {
    private let lastTotals = NIOLockedValueBox<[String: UInt64]>([:])
    /// Label sets seen before: a status or gateway that disappears is set to 0, not left at its last value.
    private let seenGauges = NIOLockedValueBox<Set<GaugeKey>>([])

    private struct GaugeKey: Hashable {
        let name: String
        let labels: [String]
    }

    /// An exporter with nothing seen yet.
    public init() {}

    /// Records every figure.
    public func export(_ figures: ServerFigures) {
        var current: [GaugeKey: Double] = [:]
        func gauge(_ name: String, _ labels: [(String, String)] = [], _ value: some BinaryInteger) {
            current[GaugeKey(name: name, labels: labels.flatMap { [$0.0, $0.1] })] = Double(value)
        }
        gauge("som_connections", [], figures.connections)
        let store = figures.store
        gauge("som_store_map_size_bytes", [], store.mapSize)
        gauge("som_store_file_bytes", [], store.fileBytes)
        gauge("som_store_used_bytes", [], store.usedBytes)
        gauge("som_store_page_size_bytes", [], store.pageSize)
        gauge("som_store_used_pages", [], store.usedPages)
        gauge("som_store_free_pages", [], store.freePages)
        gauge("som_store_readers", [], store.readersUsed)
        gauge("som_store_oldest_reader_age_seconds", [], Int(store.oldestReaderAge / .seconds(1)))
        gauge("som_orders_stored", [], figures.ordersStored)
        for (status, count) in figures.openByStatus {
            gauge("som_orders_open", [("status", status.protoName ?? "\(status.rawValue)")], count)
        }
        for (reason, count) in figures.heldByReason {
            gauge("som_orders_held", [("reason", reason.protoName ?? "\(reason.rawValue)")], count)
        }
        for gateway in figures.gateways {
            let labels = [("gateway", gateway.gatewayID.rawValue)]
            gauge("som_gateway_queued_commands", labels, gateway.queued)
            gauge("som_gateway_ready_commands", labels, gateway.ready)
            gauge("som_gateway_in_flight_commands", labels, gateway.inFlight)
            total("som_gateway_commands_dispatched_total", labels, gateway.dispatched)
            total("som_gateway_lease_expiries_total", labels, gateway.leaseExpiries)
            total("som_gateway_dead_letters_total", labels, gateway.deadLettered)
            total("som_gateway_command_retries_total", labels, gateway.retried)
            for (outcome, count) in [("succeeded", gateway.succeeded), ("failed", gateway.failed),
                                     ("outcome_unknown", gateway.outcomeUnknown), ("expired", gateway.expired),
                                     ("cancelled", gateway.cancelled)] {
                total("som_gateway_command_results_total", labels + [("outcome", outcome)], count)
            }
        }
        let field = figures.fieldWork
        gauge("som_fieldwork_queued", [], field.queued)
        gauge("som_fieldwork_in_flight", [], field.inFlight)
        total("som_fieldwork_dispatched_total", [], field.dispatched)
        total("som_fieldwork_completed_total", [], field.completed)
        total("som_fieldwork_not_done_total", [], field.notDone)
        total("som_fieldwork_lease_expiries_total", [], field.leaseExpiries)
        total("som_fieldwork_dead_letters_total", [], field.deadLettered)
        gauge("som_guardrail_window_disconnects", [], figures.guardrailTotal)
        gauge("som_guardrail_window_limit", [], figures.guardrailLimitTotal)
        for (gateway, count) in figures.guardrailPerGateway {
            gauge("som_guardrail_gateway_window_disconnects", [("gateway", gateway)], count)
        }
        gauge("som_guardrail_gateway_window_limit", [], figures.guardrailLimitPerGateway)
        gauge("som_events_head_sequence", [], figures.eventsHead)
        gauge("som_events_retention_floor_sequence", [], figures.eventFloor)

        let vanished = seenGauges.withLockedValue { seen -> Set<GaugeKey> in
            let gone = seen.subtracting(current.keys)
            seen.formUnion(current.keys)
            return gone
        }
        for key in vanished { current[key] = 0 }
        for (key, value) in current {
            Gauge(label: key.name, dimensions: Self.pairs(key.labels)).record(value)
        }
    }

    /// Moves counter `name` by how much the running total `value` grew since the last scrape.
    private func total(_ name: String, _ labels: [(String, String)], _ value: UInt64) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let grown = lastTotals.withLockedValue { last -> UInt64 in
            defer { last[key] = value }
            let before = last[key] ?? 0
            return value >= before ? value - before : value
        }
        let counter = Counter(label: name, dimensions: labels)
        if grown > 0 { counter.increment(by: Int64(clamping: grown)) }
    }

    private static func pairs(_ flat: [String]) -> [(String, String)] {
        stride(from: 0, to: flat.count, by: 2).map { (flat[$0], flat[$0 + 1]) }
    }
}
