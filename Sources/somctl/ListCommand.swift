import ArgumentParser
import SOMClient
import SOMCodec

struct ListOrders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List orders, filtered by service point, status, source, type and time received.",
        discussion: """
            Filters combine with AND. Enum values take the short name in any case (received, \
            cut-for-non-payment, CUT_FOR_NON_PAYMENT) or the full proto name (ORDER_TYPE_...). \
            --from is inclusive, --to exclusive; both RFC 3339.

            The table shows at most --limit orders (a note on stderr says when there may be more); \
            --json prints one som.v1.Order per line in canonical proto3 JSON (JSON Lines).

            Examples:
              somctl list
              somctl list --status in-progress --type cut-for-non-payment --limit 0
              somctl list --service-point SP-000123 --from 2025-06-01T00:00:00Z
              somctl list --source cis --json > orders.jsonl
            """)

    @OptionGroup var filters: OrderFilterOptions

    @Option(help: ArgumentHelp("Only orders in this status: \(OrderStatus.optionValues.joined(separator: ", ")).", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("Only orders received at or after this time (RFC 3339).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only orders received before this time (RFC 3339).", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("At most this many orders; 0 lists all.", valueName: "n"))
    var limit = 50

    @Option(name: .customLong("page-size"), help: ArgumentHelp("Orders per request to the server (1...1000); default fits --limit.", valueName: "n"))
    var pageSize: Int?

    @Flag(help: "Print one order per line in canonical proto3 JSON (JSON Lines).")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        _ = try request()
        guard limit >= 0 else { throw ValidationError("--limit must be 0 (all) or more") }
        if let pageSize, !(1...1000).contains(pageSize) { throw ValidationError("--page-size must be between 1 and 1000") }
    }

    /// The first page's request; also how `validate` checks the filter values.
    func request() throws -> ListOrdersRequest {
        ListOrdersRequest(
            servicePointID: filters.servicePointID,
            status: try status.map { try OrderStatus(option: $0, name: "--status") } ?? .unspecified,
            sourceSystem: try filters.sourceSystem,
            orderType: try filters.orderType,
            receivedFrom: try from.map { try TimeText.parse($0, option: "--from") },
            receivedTo: try to.map { try TimeText.parse($0, option: "--to") })
    }

    func run() async throws {
        try await reportingFailures {
            var request = try request()
            let out = StandardOutput()
            var table: TextTable?
            var printed = 0
            var more = false
            try await connection.client().using { client in
                while true {
                    let remaining = limit == 0 ? Int.max : limit - printed
                    request.pageSize = UInt32(pageSize ?? (limit == 0 ? 1000 : min(remaining, 1000)))
                    let page = try await client.list(request, options: connection.unary)
                    let orders = page.orders.prefix(remaining)
                    if json {
                        for order in orders { out.line(try order.jsonString()) }
                    } else {
                        let rows = orders.map(Self.row)
                        if table == nil, !rows.isEmpty {
                            var fresh = TextTable(headers: ["ID", "TYPE", "STATUS", "SERVICE POINT", "SOURCE", "SOURCE ID", "RECEIVED"])
                            // Later pages keep the first page's widths, so output can stream.
                            fresh.fit(rows)
                            out.line(fresh.headerLine)
                            table = fresh
                        }
                        for row in rows { out.line(table?.render(row) ?? "") }
                    }
                    printed += orders.count
                    out.flush()
                    if page.nextPageToken.isEmpty { break }
                    if limit != 0, printed >= limit {
                        more = true
                        break
                    }
                    request.pageToken = page.nextPageToken
                }
            }
            if !json {
                if printed == 0 { StandardError.write("no orders match\n") }
                if more { StandardError.write("showing the first \(printed); there may be more (--limit 0 lists all)\n") }
            }
        }
    }

    static func row(_ order: Order) -> [String] {
        let request = order.request ?? ServiceOrderRequest()
        return [
            order.orderID, request.orderType.displayName, OrderView.status(order.status, order.subStatus),
            request.servicePointID, request.sourceSystem.displayName, request.sourceRequestID, TimeText.format(order.receivedAt),
        ]
    }
}
