import SOMCodec
import SOMStore
import SOMTestSupport
import Testing

@Suite("Order intake", .timeLimit(.minutes(2)))
struct IntakeTests {
    @Test("a new order gets an id, the commit time, version 1 and a RECEIVED event")
    func accepted() async throws {
        let clock = TestClock()
        try await withStore(clock: clock) { store, _ in
            let outcomes = try await store.submit([template("R-1")])
            let order = try #require(outcomes.first?.order)
            #expect(outcomes.first?.isAccepted == true)
            #expect(order.orderID == "SO000000000001")
            #expect(order.receivedAt == clock.now)
            #expect(order.version == 1)
            #expect(order.lastEventSeq == 1)
            #expect(try store.order(order.orderID) == order)
            #expect(try Order(decoding: store.orderBytes(order.orderID)) == order)
            let page = try store.events(from: 1, limit: 10)
            #expect(page.events.count == 1)
            let event = try OrderEvent(decoding: page.events[0].bytes)
            #expect(event.sequence == 1)
            #expect(event.type == .received)
            #expect(event.orderID == order.orderID)
            #expect(event.servicePointID == "SP-1")
            // The writer encodes the event by hand; it must be byte-identical to protobuf-c's encoding.
            let expected = OrderEvent(
                sequence: 1, orderID: order.orderID, type: .received, at: clock.now, status: .received,
                sourceSystem: .cis, servicePointID: "SP-1", orderType: .enableService)
            #expect(page.events[0].bytes == expected.encoded())
            #expect(store.head.current == 1)
        }
    }

    @Test("the same key and content is a duplicate; the same key with other content is a conflict")
    func idempotency() async throws {
        try await withStore { store, _ in
            let first = try #require(try await store.submit([template("R-1")]).first?.order)
            let again = try await store.submit([template("R-1")])
            #expect(again == [.duplicate(first)])
            let changed = try await store.submit([template("R-1", notes: "different")])
            #expect(changed == [.conflict(existingOrderID: first.orderID)])
            // The same source request id from another source system is another key.
            let other = try await store.submit([template("R-1", source: .mdm)])
            #expect(other.first?.isAccepted == true)
            #expect(try store.counts().orders == 2)
            #expect(store.head.current == 2)
        }
    }

    @Test("duplicates inside one call are caught against earlier items of the same call")
    func duplicatesWithinOneCall() async throws {
        try await withStore { store, _ in
            let outcomes = try await store.submit([template("A"), template("B"), template("A"), template("A", notes: "x")])
            #expect(outcomes[0].isAccepted && outcomes[1].isAccepted)
            #expect(outcomes[2] == .duplicate(try #require(outcomes[0].order)))
            #expect(outcomes[3] == .conflict(existingOrderID: "SO000000000001"))
            #expect(try store.counts().orders == 2)
        }
    }

    @Test("64 concurrent submits of one key store one order")
    func concurrentDuplicates() async throws {
        try await withStore { store, _ in
            let outcomes = try await withThrowingTaskGroup(of: IntakeOutcome.self) { group in
                for _ in 0..<64 { group.addTask { try await store.submit([template("SAME")])[0] } }
                return try await group.reduce(into: [IntakeOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.filter(\.isAccepted).count == 1)
            #expect(Set(outcomes.compactMap { $0.order?.orderID }) == ["SO000000000001"])
            #expect(try store.counts().orders == 1)
        }
    }

    @Test("ids and sequence numbers continue after reopening; nothing acknowledged is lost")
    func reopen() async throws {
        try await withTemporaryDirectoryStore { path in
            do {
                let store = try OrderStore(directory: path, logger: quietLogger)
                _ = try await store.submit((1...100).map { template("K\($0)", servicePoint: "SP-\($0 % 7)") })
                store.close()
            }
            let store = try OrderStore(directory: path, logger: quietLogger)
            defer { store.close() }
            #expect(store.head.current == 100)
            #expect(try store.counts().orders == 100)
            #expect(try store.counts().openByStatus == [.received: 100], "open counts are rebuilt from the index at open")
            let next = try await store.submit([template("K101")])
            #expect(next.first?.order?.orderID == "SO000000000101")
            #expect(next.first?.order?.lastEventSeq == 101)
            #expect(try await store.submit([template("K5", servicePoint: "SP-5")]).first == .duplicate(try store.order("SO000000000005")))
        }
    }

    @Test("group commit: many concurrent callers share commits")
    func groupCommit() async throws {
        try await withStore { store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<200 {
                    group.addTask { _ = try await store.submit([template("C\(caller)")]) }
                }
                try await group.waitForAll()
            }
            let statistics = try store.statistics()
            #expect(statistics.records == 200)
            #expect(statistics.commits < 200, "200 concurrent single-order submits should not need 200 fsyncs")
            #expect(try store.counts().orders == 200)
        }
    }
}

/// A temp data directory path without opening a store (for reopen tests).
func withTemporaryDirectoryStore(_ body: (String) async throws -> Void) async throws {
    try await withTemporaryDirectory(prefix: "som-store") { directory in
        try await body(directory.appending("data"))
    }
}
