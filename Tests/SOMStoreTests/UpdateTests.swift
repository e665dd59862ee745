import SOMCodec
import SOMStore
import SOMTestSupport
import Testing

@Suite("Order updates, events and devices", .timeLimit(.minutes(2)))
struct UpdateTests {
    @Test("an update moves the status index, bumps the version and appends its events")
    func update() async throws {
        let clock = TestClock()
        try await withStore(clock: clock) { store, _ in
            let order = try #require(try await store.submit([template("U1")]).first?.order)
            clock.advance(seconds: 60)
            let cancelled = try await store.update(orderID: order.orderID) { order, now throws(StoreError) in
                order.status = .cancelled
                order.completedAt = now
                return [OrderEvent(type: .cancelled, detail: "test")]
            }
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.version == 2)
            #expect(cancelled.lastEventSeq == 2)
            #expect(cancelled.updatedAt == clock.now)
            #expect(try store.order(order.orderID) == cancelled)
            #expect(try store.list(OrderQuery(status: .received)).orders.isEmpty)
            #expect(try store.counts().openByStatus.isEmpty)
            let event = try OrderEvent(decoding: try #require(store.events(from: 2, limit: 1).events.first).bytes)
            #expect(event.type == .cancelled)
            #expect(event.status == .cancelled)
            #expect(event.servicePointID == "SP-1")
            #expect(event.detail == "test")
        }
    }

    @Test("a change that throws leaves the order untouched and fails only its caller")
    func refusedChange() async throws {
        try await withStore { store, _ in
            let order = try #require(try await store.submit([template("U2")]).first?.order)
            await #expect(throws: StoreError.failedPrecondition("no")) {
                _ = try await store.update(orderID: order.orderID) { _, _ throws(StoreError) in throw .failedPrecondition("no") }
            }
            #expect(try store.order(order.orderID) == order)
            #expect(store.head.current == 1)
            await #expect(throws: StoreError.notFound("order SO000000000099")) {
                _ = try await store.update(orderID: "SO000000000099") { _, _ in [] }
            }
        }
    }

    @Test("trimming raises the floor; reading below it is an explicit error; numbering continues after reopen")
    func trim() async throws {
        try await withTemporaryDirectoryStore { path in
            do {
                let store = try OrderStore(directory: path, logger: quietLogger)
                _ = try await store.submit((1...10).map { template("T\($0)") })
                #expect(try await store.trimEvents(below: 8) == 7)
                #expect(try store.eventFloor() == 8)
                #expect(throws: StoreError.belowRetentionFloor(requested: 3, floor: 8)) { try store.events(from: 3, limit: 5) }
                #expect(try store.events(from: 8, limit: 5).events.map(\.sequence) == [8, 9, 10])
                // The newest event is always kept, so the sequence survives a restart.
                #expect(try await store.trimEvents(below: 1000) == 2)
                #expect(try store.events(from: 10, limit: 5).events.map(\.sequence) == [10])
                store.close()
            }
            let store = try OrderStore(directory: path, logger: quietLogger)
            defer { store.close() }
            let next = try await store.submit([template("T11")])
            #expect(next.first?.order?.lastEventSeq == 11)
        }
    }

    @Test("the event head wakes a waiter on commit and returns at its deadline otherwise")
    func eventHead() async throws {
        try await withStore { store, _ in
            let idle = await store.head.wait(beyond: 0, until: .now + .milliseconds(20))
            #expect(idle == 0)
            async let woken = store.head.wait(beyond: 0, until: .now + .seconds(60))
            _ = try await store.submit([template("H1")])
            #expect(await woken == 1)
        }
    }

    @Test("device upserts replace the record and count versions")
    func devices() async throws {
        let clock = TestClock()
        try await withStore(clock: clock) { store, _ in
            let device = ServicePointDevice(servicePointID: "SP-7", meterID: "M-1", technology: .smartWithSwitch, gatewayID: "GW-1")
            _ = try await store.upsertDevices([device])
            clock.advance(seconds: 5)
            var changed = device
            changed.supplyState = .disconnected
            let stored = try await store.upsertDevices([changed])
            #expect(stored[0].version == 2)
            let read = try store.device(servicePointID: "SP-7")
            #expect(read.supplyState == .disconnected)
            #expect(read.version == 2)
            #expect(read.updatedAt == clock.now)
            #expect(try store.counts().devices == 1)
        }
    }
}
