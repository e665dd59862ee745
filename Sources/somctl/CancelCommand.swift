import ArgumentParser
import SOMClient
import SOMCodec

struct CancelOrder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel an order that has not finished.",
        discussion: """
            A completed, failed, rejected or already cancelled order cannot be cancelled: the server \
            answers FAILED_PRECONDITION and somctl exits 1.

            Examples:
              somctl cancel SO000000000042 --reason "customer paid at the counter"
              somctl cancel SO000000000042 --by-source --json
            """)

    @Argument(help: ArgumentHelp("The order id.", valueName: "order-id"))
    var orderID: String

    @Option(help: ArgumentHelp("Why; kept as the order's status detail.", valueName: "text"))
    var reason: String = ""

    @Flag(name: .customLong("by-source"), help: "The source system asked for the cancel (not an operator).")
    var bySource = false

    @Flag(help: "Print the cancelled order as one line of canonical proto3 JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let request = CancelOrderRequest(orderID: orderID, reason: reason, bySource: bySource)
            let order = try await connection.client().using { try await $0.cancel(request, options: connection.unary) }
            let out = StandardOutput()
            if json {
                out.line(try order.jsonString())
            } else {
                out.line("\(order.orderID): \(OrderView.status(order.status, order.subStatus)) (\(order.statusDetail))")
            }
            out.flush()
        }
    }
}
