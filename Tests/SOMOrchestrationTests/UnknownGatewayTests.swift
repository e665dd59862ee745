import SOMCodec
import SOMOrchestration
import Testing

@Suite("Commands only for registered gateways", .timeLimit(.minutes(2)))
struct UnknownGatewayTests {
    typealias F = Fixture

    @Test("a command for a gateway the registry does not know holds the order with the reason; registered, it goes out")
    func holdsUntilRegistered() {
        var rules = BusinessInputs()
        rules.registeredGateways = ["GW-OTHER"]
        var d = Driver(F.order(.offCycleRead), F.device(.smartWithSwitch), rules: rules)
        d.step(.evaluate)
        #expect(d.order.status == .held && d.order.holdReason == .unknownGateway)
        #expect(d.order.statusDetail.contains("gateway GW1 is not registered"))
        #expect(d.order.activities.isEmpty && d.decisions.last?.activitiesToCreate.isEmpty == true)
        #expect(d.order.nextCheckAt != nil)
        d.rules.registeredGateways = ["GW1", "GW-OTHER"]
        let released = d.step(.recheckDue)
        #expect(released.events.contains { $0.type == .released })
        #expect(d.order.status == .inProgress && d.last.command == .onDemandRead && d.last.gatewayID == "GW1")
    }

    @Test("without an enforced registry (nil) every gateway is served, as before")
    func notEnforced() {
        var d = Driver(F.order(.offCycleRead), F.device(.smartWithSwitch))
        d.step(.evaluate)
        #expect(d.order.status == .inProgress && d.last.command == .onDemandRead)
    }

    @Test("field work does not need a registered gateway")
    func fieldWorkGoesOut() {
        var rules = BusinessInputs()
        rules.registeredGateways = []
        var d = Driver(F.order(.offCycleRead), F.device(.manual), rules: rules)
        d.step(.evaluate)
        #expect(d.order.status == .inProgress && d.last.fieldActivity == .read)
    }
}
