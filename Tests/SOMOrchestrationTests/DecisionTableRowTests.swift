import SOMCodec
import SOMOrchestration
import Testing

/// One situation per decision-table row; each must be matched by exactly that row.
struct RowCase: Sendable, CustomTestStringConvertible {
    var type: OrderType
    var label: String
    var situation: Situation
    var testDescription: String { "\(type.protoName ?? ""): \(label)" }
}

enum RowCases {
    typealias F = Fixture

    static func make(_ type: OrderType, _ rowIndex: Int, device: ServicePointDevice?, others: [OrderOnServicePoint] = [],
                     rules: BusinessInputs = BusinessInputs(), history: [(CommandType, FieldActivityType, ActivityStatus)] = []) -> RowCase {
        var order = F.order(type)
        for (command, field, status) in history {
            order.activities.append(F.activity(order, command: command, field: field, status: status, failure: status == .failed ? .permanent : .unspecified))
        }
        let table = DecisionTables.table(for: type)!
        return RowCase(type: type, label: table.rows[rowIndex].label, situation: Situation(order: order, device: device, otherOrders: others, rules: rules, now: F.monday10))
    }

    static let busy = [F.other(.offCycleRead, .inProgress, sub: .awaitingReading, started: true)]
    static let moratorium = BusinessInputs(moratoria: [F.moratorium(from: F.at(plus: -F.day), to: F.at(plus: F.day))])

    static let all: [RowCase] = [
        // Enable service
        make(.enableService, 0, device: F.device(.manual), others: [F.other(.disableService, .scheduled, requestedAt: F.monday10)]),
        make(.enableService, 1, device: F.device(.manual), others: busy),
        make(.enableService, 2, device: F.device(.none, .disconnected)),
        make(.enableService, 3, device: F.device(.smartWithSwitch, .connected, commissioned: false),
             history: [(.unspecified, .connectAtSource, .succeeded), (.unspecified, .install, .succeeded)]),
        make(.enableService, 4, device: F.device(.none, .connected)),
        make(.enableService, 5, device: F.device(.manual, .connected)),
        make(.enableService, 6, device: F.device(.manual, .disconnected, location: .meterSeal)),
        make(.enableService, 7, device: F.device(.smartWithSwitch, .disconnected, commissioned: false)),
        make(.enableService, 8, device: F.device(.smartWithSwitch, .disconnected, commissioned: false), history: [(.commission, .unspecified, .failed)]),
        make(.enableService, 9, device: F.device(.smartNoSwitch, .connected)),
        make(.enableService, 10, device: F.device(.smartWithSwitch, .unknown)),
        make(.enableService, 11, device: F.device(.smartWithSwitch, .disconnected), history: [(.remoteConnect, .unspecified, .failed)]),
        make(.enableService, 12, device: F.device(.smartWithSwitch, .disconnected, location: .meterSwitch)),
        make(.enableService, 13, device: F.device(.smartNoSwitch, .disconnected)),
        // Disable service
        make(.disableService, 0, device: F.device(.manual), others: [F.other(.enableService, .received, requestedAt: F.monday10)]),
        make(.disableService, 1, device: nil),
        make(.disableService, 2, device: F.device(.manual), others: busy),
        make(.disableService, 3, device: F.device(.none, .connected)),
        make(.disableService, 4, device: F.device(.manual, .connected)),
        make(.disableService, 5, device: F.device(.smartWithSwitch, .disconnected)),
        make(.disableService, 6, device: F.device(.smartWithSwitch, .connected, commissioned: false)),
        make(.disableService, 7, device: F.device(.smartWithSwitch, .connected), history: [(.remoteDisconnect, .unspecified, .failed)]),
        make(.disableService, 8, device: F.device(.smartWithSwitch, .unknown)),
        make(.disableService, 9, device: F.device(.smartWithSwitch, .connected)),
        make(.disableService, 10, device: F.device(.smartNoSwitch, .connected)),
        // Cut for non-payment
        make(.cutForNonPayment, 0, device: nil),
        make(.cutForNonPayment, 1, device: F.device(.smartWithSwitch), others: [F.other(.reconnectForPayment, .received)]),
        make(.cutForNonPayment, 2, device: F.device(.smartWithSwitch), others: busy),
        make(.cutForNonPayment, 3, device: F.device(.smartWithSwitch, .disconnected)),
        make(.cutForNonPayment, 4, device: F.device(.smartWithSwitch), rules: moratorium),
        make(.cutForNonPayment, 5, device: F.device(.smartWithSwitch, .unknown)),
        make(.cutForNonPayment, 6, device: F.device(.smartWithSwitch, commissioned: false)),
        make(.cutForNonPayment, 7, device: F.device(.smartWithSwitch)),
        make(.cutForNonPayment, 8, device: F.device(.smartNoSwitch)),
        make(.cutForNonPayment, 9, device: F.device(.manual)),
        make(.cutForNonPayment, 10, device: F.device(.none)),
        // Reconnect for payment
        make(.reconnectForPayment, 0, device: nil),
        make(.reconnectForPayment, 1, device: F.device(.smartWithSwitch), others: [F.other(.cutForNonPayment, .scheduled)]),
        make(.reconnectForPayment, 2, device: F.device(.smartWithSwitch), others: [F.other(.cutForNonPayment, .inProgress, sub: .awaitingCommand, inFlight: true, started: true)]),
        make(.reconnectForPayment, 3, device: F.device(.smartWithSwitch, .disconnected), others: busy),
        make(.reconnectForPayment, 4, device: F.device(.smartWithSwitch, .connected)),
        make(.reconnectForPayment, 5, device: F.device(.smartWithSwitch, .unknown)),
        make(.reconnectForPayment, 6, device: F.device(.smartWithSwitch, .disconnected, commissioned: false, location: .meterSwitch)),
        make(.reconnectForPayment, 7, device: F.device(.smartWithSwitch, .disconnected, location: .meterSwitch)),
        make(.reconnectForPayment, 8, device: F.device(.manual, .disconnected, location: .pole)),
        // Back-to-back
        make(.backToBack, 0, device: F.device(.manual), others: busy),
        make(.backToBack, 1, device: F.device(.manual, .connected)),
        make(.backToBack, 2, device: F.device(.smartWithSwitch, .disconnected, location: .meterSwitch)),
        // Exchange meter
        make(.exchangeMeter, 0, device: nil),
        make(.exchangeMeter, 1, device: F.device(.manual), others: busy),
        make(.exchangeMeter, 2, device: F.device(.none)),
        make(.exchangeMeter, 3, device: F.device(.manual)),
        // Install meter
        make(.installMeter, 0, device: F.device(.none), others: busy),
        make(.installMeter, 1, device: F.device(.manual)),
        make(.installMeter, 2, device: nil),
        // Remove meter
        make(.removeMeter, 0, device: nil),
        make(.removeMeter, 1, device: F.device(.manual), others: busy),
        make(.removeMeter, 2, device: F.device(.none)),
        make(.removeMeter, 3, device: F.device(.manual)),
        // Off-cycle read
        make(.offCycleRead, 0, device: nil),
        make(.offCycleRead, 1, device: F.device(.manual), others: [F.other(.enableService, .inProgress, sub: .awaitingFieldWork, started: true)]),
        make(.offCycleRead, 2, device: F.device(.none)),
        make(.offCycleRead, 3, device: F.device(.smartNoSwitch)),
        make(.offCycleRead, 4, device: F.device(.manual)),
        // Investigate
        make(.investigate, 0, device: nil),
        make(.investigate, 1, device: F.device(.manual), others: busy),
        make(.investigate, 2, device: F.device(.smartWithSwitch)),
        make(.investigate, 3, device: F.device(.manual)),
        // Device test
        make(.deviceTest, 0, device: nil),
        make(.deviceTest, 1, device: F.device(.smartWithSwitch), others: busy),
        make(.deviceTest, 2, device: F.device(.smartWithSwitch), history: [(.configure, .unspecified, .failed)]),
        make(.deviceTest, 3, device: F.device(.smartWithSwitch)),
        make(.deviceTest, 4, device: F.device(.manual)),
    ]
}

@Suite("Decision tables: every row", .timeLimit(.minutes(2)))
struct DecisionTableRowTests {
    @Test("the situation is matched by its row", arguments: RowCases.all)
    func rowMatches(_ row: RowCase) {
        let decision = Orchestrator.step(row.situation, .evaluate)
        let expected = "\(typeName(row.type)): \(row.label)"
        #expect(decision.rowsApplied.first == expected, "applied \(decision.rowsApplied); order \(decision.order.status) \(decision.order.statusDetail)")
        // Whatever the row, the order ends the step in a documented state.
        let order = decision.order
        #expect(order.status != .received)
        if !Lifecycle.isTerminal(order.status) { #expect(order.nextCheckAt != nil || order.activities.contains { $0.status == .queued }) }
        if order.status == .held { #expect(!order.statusDetail.isEmpty && order.holdReason != .unspecified && order.nextCheckAt != nil) }
    }

    @Test("every row of every table has a case (a row never matched fails here)")
    func everyRowCovered() {
        let covered = Set(RowCases.all.map { "\($0.type.rawValue)|\($0.label)" })
        for table in DecisionTables.all {
            for row in table.rows {
                #expect(covered.contains("\(table.type.rawValue)|\(row.label)"), "no case for \(table.title): \(row.label)")
            }
        }
        #expect(DecisionTables.all.count == 11)
    }

    @Test("row labels are unique within a table")
    func uniqueLabels() {
        for table in DecisionTables.all {
            #expect(Set(table.rows.map(\.label)).count == table.rows.count, "\(table.title)")
        }
    }
}

/// `ENABLE_SERVICE` for `.enableService`, as `Decision.rowsApplied` names types.
func typeName(_ type: OrderType) -> String { String(type.protoName!.dropFirst("ORDER_TYPE_".count)) }
