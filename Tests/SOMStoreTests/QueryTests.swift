import SOMCodec
import SOMStore
import SOMTestSupport
import Testing

@Suite("Order queries", .timeLimit(.minutes(2)))
struct QueryTests {
    /// 60 orders over 3 service points, 2 sources and 2 types, received 10 s apart.
    func populate(_ store: OrderStore, _ clock: TestClock) async throws {
        for index in 1...60 {
            _ = try await store.submit([template(
                "Q\(index)", servicePoint: "SP-\(index % 3)", type: index % 2 == 0 ? .enableService : .offCycleRead,
                source: index % 4 == 0 ? .mdm : .cis)])
            clock.advance(seconds: 10)
        }
    }

    /// The ids of orders 1…60 whose number satisfies `predicate`.
    func ids(where predicate: (Int) -> Bool) -> [String] {
        (1...60).filter(predicate).map { OrderNumber.string(UInt64($0)) }
    }

    /// Follows page tokens to the end, collecting ids.
    func all(_ store: OrderStore, _ query: OrderQuery) throws -> [String] {
        var query = query
        var ids: [String] = []
        while true {
            let page = try store.list(query)
            ids += page.orders.map(\.orderID)
            if page.nextPageToken.isEmpty { return ids }
            query.pageToken = page.nextPageToken
        }
    }

    @Test("each filter returns exactly the matching orders, across pages of 7")
    func filters() async throws {
        let clock = TestClock()
        try await withStore(clock: clock) { store, _ in
            try await populate(store, clock)
            let everything = try all(store, OrderQuery(pageSize: 7))
            #expect(everything == ids { _ in true })
            let bySP = try all(store, OrderQuery(servicePointID: "SP-1", pageSize: 7))
            #expect(bySP == ids { $0 % 3 == 1 })
            let bySource = try all(store, OrderQuery(sourceSystem: .mdm, pageSize: 7))
            #expect(Set(bySource) == Set(ids { $0 % 4 == 0 }))
            let byType = try all(store, OrderQuery(orderType: .offCycleRead, pageSize: 7))
            #expect(byType == ids { $0 % 2 == 1 })
            let combined = try all(store, OrderQuery(servicePointID: "SP-0", sourceSystem: .mdm, orderType: .enableService, pageSize: 7))
            #expect(combined == ids { $0 % 12 == 0 })
            let byStatus = try all(store, OrderQuery(status: .received, pageSize: 7))
            #expect(byStatus.count == 60)
            #expect(try all(store, OrderQuery(status: .completed, pageSize: 7)).isEmpty)
        }
    }

    @Test("a time range selects orders by receipt time, found by binary search")
    func timeRange() async throws {
        let clock = TestClock()
        let start = clock.now
        try await withStore(clock: clock) { store, _ in
            try await populate(store, clock)
            // Order n was received at start + 10 (n-1) s.
            let from = Timestamp(seconds: start.seconds + 95)
            let to = Timestamp(seconds: start.seconds + 200)
            let ids = try all(store, OrderQuery(receivedFrom: from, receivedTo: to, pageSize: 4))
            #expect(ids == self.ids { (11...21).contains($0) })
            let fromOnly = try all(store, OrderQuery(receivedFrom: Timestamp(seconds: start.seconds + 585), pageSize: 4))
            #expect(fromOnly == ["SO000000000060"])
            #expect(try all(store, OrderQuery(receivedFrom: Timestamp(seconds: start.seconds + 10_000))).isEmpty)
        }
    }

    @Test("pages stay stable while new orders arrive, and a foreign token is refused")
    func stableTokens() async throws {
        let clock = TestClock()
        try await withStore(clock: clock) { store, _ in
            try await populate(store, clock)
            var query = OrderQuery(servicePointID: "SP-2", pageSize: 5)
            let first = try store.list(query)
            _ = try await store.submit([template("NEW", servicePoint: "SP-2")])
            query.pageToken = first.nextPageToken
            let rest = try all(store, query)
            let ids = first.orders.map(\.orderID) + rest
            #expect(ids.count == Set(ids).count, "no order twice")
            #expect(ids.count == 21)
            #expect(ids.last == "SO000000000061")
            #expect(throws: StoreError.invalidPageToken) {
                try store.list(OrderQuery(servicePointID: "SP-1", pageToken: first.nextPageToken))
            }
            #expect(throws: StoreError.invalidPageToken) { try store.list(OrderQuery(pageToken: "zz.garbage")) }
        }
    }

    @Test("unknown ids are not found")
    func notFound() async throws {
        try await withStore { store, _ in
            #expect(throws: StoreError.notFound("order SO000000000001")) { try store.orderBytes("SO000000000001") }
            #expect(throws: StoreError.notFound("order nonsense")) { try store.orderBytes("nonsense") }
            #expect(throws: StoreError.notFound("service point SP-9")) { try store.device(servicePointID: "SP-9") }
        }
    }
}
