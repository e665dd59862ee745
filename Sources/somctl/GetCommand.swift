import ArgumentParser
import SOMClient
import SOMCodec

struct GetOrder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one order with its activities, attempts, hold, deadline and reading (alias: show).",
        discussion: """
            Prints the order's type, status, service point, source, times, activities and reading; \
            --json prints the som.v1.Order in canonical proto3 JSON on one line.

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
            let order = try await connection.client().using { try await $0.order(orderID, options: connection.unary) }
            let out = StandardOutput()
            if json {
                out.line(try order.jsonString())
            } else {
                OrderView.lines(order).forEach(out.line)
            }
            out.flush()
        }
    }
}
