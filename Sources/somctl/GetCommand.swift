import ArgumentParser
import SOMClient
import SOMCodec

struct GetOrder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one order with its activities, attempts, hold, deadline and reading (alias: show).",
        discussion: """
            Prints the order's type, status, service point, source, times, activities and reading, \
            and the operator actions on it from the audit trail (when the caller may read it); \
            --json prints the som.v1.Order in canonical proto3 JSON on one line (`somctl audit \
            --target ID --json` has its audit entries).

            Examples:
              somctl get SO000000000042
              somctl get SO000000000042 --json | jq .status
            """,
        aliases: ["show"])

    @Argument(help: ArgumentHelp("The order id.", valueName: "order-id"))
    var orderID: String

    @Flag(help: "Print the order as one line of canonical proto3 JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let (order, audit) = try await connection.client().using { client in
                let order = try await client.order(orderID, options: connection.unary)
                // Best effort: a caller who may read orders but not the trail still sees the order.
                let audit = json ? [] : (try? await client.allAudit(ListAuditRequest(target: orderID), options: connection.unary)) ?? []
                return (order, audit)
            }
            let out = StandardOutput()
            if json {
                out.line(try order.jsonString())
            } else {
                OrderView.lines(order).forEach(out.line)
                if !audit.isEmpty {
                    out.line("audit:")
                    audit.forEach { out.line("  " + AuditLine.format($0)) }
                }
            }
            out.flush()
        }
    }
}
