import SOMCodec
@testable import SOMStore
import SOMTestSupport
import Testing

@Suite("Event log: filtered reads by top-level fields", .timeLimit(.minutes(1)))
struct EventFilterTests {
    @Test("the filtered read returns exactly the matching events of the full read, newest first, and stops at `since`")
    func sameAsTheFullRead() async throws {
        let clock = TestClock()
        try await withStore(clock: clock) { store, _ in
            for index in 0..<30 {
                let type: OrderType = index % 3 == 0 ? .cutForNonPayment : .enableService
                let order = try #require(try await store.submit([template("E\(index)", servicePoint: "SP-\(index)", type: type)]).first?.order)
                _ = try await store.update(orderID: order.orderID) { _, _ throws(StoreError) in
                    [OrderEvent(type: .activityCreated, detail: "a"), OrderEvent(type: .statusChanged, detail: "b")]
                }
                clock.advance(seconds: 10)
            }
            let since = Timestamp(seconds: clock.now.seconds - 150)
            let all = try store.events(since: since)
            let wanted = all.filter { $0.type == .activityCreated && $0.orderType == .cutForNonPayment }
            let filtered = try store.events(since: since, types: [.activityCreated], orderTypes: [.cutForNonPayment])
            #expect(!wanted.isEmpty)
            #expect(filtered.map(\.sequence) == wanted.map(\.sequence))
            #expect(filtered == wanted)
        }
    }
}
