import SOMCodec
@testable import SOMServer
import Testing

@Suite("Watch filter on stored bytes", .timeLimit(.minutes(1)))
struct WatchFilterTests {
    @Test("matching on top-level fields agrees with the decoded event, for every filter and for defaults left out of the bytes")
    func agreesWithTheDecodedEvent() {
        var events: [OrderEvent] = []
        for (index, (source, type)) in [(SourceSystem.cis, OrderType.cutForNonPayment), (.mdm, .offCycleRead), (.unspecified, .unspecified)].enumerated() {
            for point in ["SP-1", "SP-12", ""] {
                events.append(OrderEvent(sequence: UInt64(events.count + 1), orderID: index == 2 ? "" : "SO\(index)", sourceSystem: source, servicePointID: point, orderType: type))
            }
        }
        let requests = [
            WatchOrdersRequest(orderID: "SO1"), WatchOrdersRequest(servicePointID: "SP-1"), WatchOrdersRequest(servicePointID: "SP-12"),
            WatchOrdersRequest(sourceSystem: .cis), WatchOrdersRequest(orderType: .offCycleRead),
            WatchOrdersRequest(orderID: "SO0", servicePointID: "SP-1", sourceSystem: .cis, orderType: .cutForNonPayment),
            WatchOrdersRequest(orderID: "SO0", sourceSystem: .mdm),
        ]
        for request in requests {
            let filter = WatchFilter(request)
            let expected = events.filter { event in
                (request.orderID.isEmpty || event.orderID == request.orderID)
                    && (request.servicePointID.isEmpty || event.servicePointID == request.servicePointID)
                    && (request.sourceSystem == .unspecified || event.sourceSystem == request.sourceSystem)
                    && (request.orderType == .unspecified || event.orderType == request.orderType)
            }
            #expect(events.filter { filter.matches($0.encoded()) }.map(\.sequence) == expected.map(\.sequence), "\(request)")
        }
        #expect(!WatchFilter(WatchOrdersRequest(orderID: "SO1")).matches([0x12, 0x09, 0x53]), "malformed bytes never match")
    }
}
