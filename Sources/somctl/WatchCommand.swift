import ArgumentParser
import SOMClient
import SOMCodec

struct WatchOrders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow order events live, optionally from an earlier sequence number.",
        discussion: """
            Prints one line per event: sequence, time, order id, event, status, service point, \
            detail. Follows until Ctrl-C (exit 0), or until --count events have been printed. \
            Without --from it starts at the next new event; stderr says where it started unless \
            --json. To resume without gaps, pass --from with the last sequence printed plus one.

            Examples:
              somctl watch
              somctl watch --from 1 --count 100 --json > events.jsonl
              somctl watch --service-point SP-000123 --type reconnect-for-payment
              somctl watch --order SO000000000042
            """)

    @Option(help: ArgumentHelp("First event sequence number to show; 0 starts with the next new event.", valueName: "seq"))
    var from: UInt64 = 0

    @Option(name: .customLong("order"), help: ArgumentHelp("Only events of this order.", valueName: "order-id"))
    var orderID: String?

    @OptionGroup var filters: OrderFilterOptions

    @Option(help: ArgumentHelp("Exit after this many events.", valueName: "n"))
    var count: Int?

    @Flag(help: "Print each som.v1.OrderEvent as one line of canonical proto3 JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be 1 or more") }
    }

    func run() async throws {
        try await reportingFailures {
            let request = WatchOrdersRequest(
                fromSequence: from, orderID: orderID ?? "", servicePointID: filters.servicePointID,
                sourceSystem: try filters.sourceSystem, orderType: try filters.orderType)
            let client = connection.client()
            let (json, count) = (json, count)
            try await client.using { client in
                try await untilInterrupted {
                    try await Self.follow(client, request, json: json, count: count)
                }
            }
        }
    }

    static func follow(_ client: SOMClient, _ request: WatchOrdersRequest, json: Bool, count: Int?) async throws {
        let out = StandardOutput()
        var shown = 0
        var announced = json
        for try await response in try await client.watch(request) {
            if !announced {
                let start = request.fromSequence != 0 ? request.fromSequence : (response.events.first?.sequence ?? response.headSequence + 1)
                StandardError.write("watching from sequence \(start) (head \(response.headSequence))\n")
                announced = true
            }
            for event in response.events {
                out.line(json ? try event.jsonString() : EventLine.format(event))
                shown += 1
                if let count, shown >= count {
                    out.flush()
                    return
                }
            }
            out.flush()
        }
        if !Task.isCancelled { throw CLIError("the server ended the watch") }
    }
}
