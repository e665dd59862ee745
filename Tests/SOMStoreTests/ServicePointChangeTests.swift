import SOMCodec
import SOMLMDB
import SOMStore
import SOMTestSupport
import Testing

@Suite("Decisions at a service point, timers and schema upgrade", .timeLimit(.minutes(2)))
struct ServicePointChangeTests {
    @Test("a decision sees the device and the other open orders, and its changes land in one commit")
    func snapshotAndChanges() async throws {
        let clock = TestClock()
        try await withStore(clock: clock) { store, _ in
            _ = try await store.upsertDevices([ServicePointDevice(servicePointID: "SP-1", meterID: "M", technology: .manual)])
            let outcomes = try await store.submit([template("A"), template("B"), template("C", servicePoint: "SP-2")])
            let a = try #require(outcomes[0].order), b = try #require(outcomes[1].order)
            clock.advance(seconds: 30)
            let stored = try await store.change(orderID: a.orderID) { snapshot, now throws(StoreError) in
                #expect(snapshot.device?.meterID == "M")
                #expect(snapshot.otherOpenOrders.map(\.orderID) == [b.orderID])
                var mine = snapshot.order
                mine.status = .inProgress
                mine.nextCheckAt = now.adding(.seconds(60))
                var other = snapshot.otherOpenOrders[0]
                other.status = .superseded
                other.supersededBy = mine.orderID
                guard var device = snapshot.device else { throw .notFound("device") }
                device.supplyState = .disconnected
                return ServicePointChanges(
                    orders: [(mine, [OrderEvent(type: .statusChanged)]), (other, [OrderEvent(type: .superseded)])], device: device)
            }
            #expect(stored.orders.map(\.order.version) == [2, 2])
            #expect(try store.order(a.orderID).status == .inProgress)
            #expect(try store.order(b.orderID).status == .superseded)
            #expect(try store.device(servicePointID: "SP-1").supplyState == .disconnected)
            #expect(try store.device(servicePointID: "SP-1").version == 2)
            #expect(store.head.current == 5)
            #expect(try store.list(OrderQuery(status: .received)).orders.map(\.orderID) == ["SO000000000003"])
            #expect(try store.counts().openByStatus == [.received: 1, .inProgress: 1], "counts follow every commit")
            // The timer: due after 60 s, not before.
            #expect(try store.dueOrders(until: clock.now, limit: 10).isEmpty)
            #expect(try store.nextDueTime() == clock.now.adding(.seconds(60)))
            #expect(try store.dueOrders(until: clock.now.adding(.seconds(60)), limit: 10) == [a.orderID])
            #expect(try store.openOrders(status: .inProgress, after: nil, limit: 10).map(\.orderID) == [a.orderID])
            // Clearing the check time removes the timer.
            _ = try await store.change(orderID: a.orderID) { snapshot, _ throws(StoreError) in
                var mine = snapshot.order
                mine.nextCheckAt = nil
                return ServicePointChanges(orders: [(mine, [])])
            }
            #expect(try store.nextDueTime() == nil)
        }
    }

    @Test("finished orders drop out of a service point's open orders (the index keeps each order's status)")
    func finishedOrdersSkipped() async throws {
        try await withStore { store, _ in
            let outcomes = try await store.submit([template("A"), template("B"), template("C")])
            let a = try #require(outcomes[0].order), b = try #require(outcomes[1].order), c = try #require(outcomes[2].order)
            _ = try await store.update(orderID: b.orderID) { order, _ throws(StoreError) in
                order.status = .completed
                return [OrderEvent(type: .completed)]
            }
            let seen = try await store.change(orderID: a.orderID) { snapshot, _ throws(StoreError) in
                (ServicePointChanges(), snapshot.otherOpenOrders.map(\.orderID))
            }.1
            #expect(seen == [c.orderID])
            #expect(Set(try store.openOrderIDs(servicePointIDs: ["SP-1"])) == [a.orderID, c.orderID])
        }
    }

    @Test("a decision may not touch orders of another service point, and a throwing one changes nothing")
    func guarded() async throws {
        try await withStore { store, _ in
            let outcomes = try await store.submit([template("A"), template("C", servicePoint: "SP-2")])
            let a = try #require(outcomes[0].order), c = try #require(outcomes[1].order)
            await #expect(throws: StoreError.self) {
                _ = try await store.change(orderID: a.orderID) { _, _ throws(StoreError) in
                    var foreign = c
                    foreign.status = .cancelled
                    return ServicePointChanges(orders: [(foreign, [])])
                }
            }
            #expect(try store.order(c.orderID).status == .received)
            await #expect(throws: StoreError.failedPrecondition("no")) {
                _ = try await store.change(orderID: a.orderID) { _, _ throws(StoreError) in throw .failedPrecondition("no") }
            }
            #expect(try store.order(a.orderID) == a)
        }
    }

    @Test("an older directory (version 1) is upgraded to the current version on open, audit tables included")
    func upgrade() async throws {
        try await withTemporaryDirectoryStore { path in
            OrderStore.closeImmediately(try OrderStore(directory: path, logger: quietLogger))
            let environment = try Environment(path: path)
            try environment.write { txn in
                let meta = try txn.openDatabase(name: "meta")
                try txn.put(UInt32(1).bigEndianBytes, forKey: Array("schema_version".utf8), in: meta)
            }
            environment.close()
            let store = try OrderStore(directory: path, logger: quietLogger)
            store.close()
            let check = try Environment(path: path)
            defer { check.close() }
            let version = try check.write { txn in try txn.get(Array("schema_version".utf8), in: try txn.openDatabase(name: "meta")) }
            #expect(version == UInt32(3).bigEndianBytes)
            _ = try check.openDatabase(name: "audit")
            _ = try check.openDatabase(name: "audit_by_target")
        }
    }
}

@Suite("Timers across a restart", .timeLimit(.minutes(2)))
struct DueIndexRestartTests {
    @Test("an order's next check time survives closing and reopening the store")
    func dueSurvivesReopen() async throws {
        try await withTemporaryDirectoryStore { path in
            let due = Timestamp(seconds: 1_900_000_000)
            do {
                let store = try OrderStore(directory: path, logger: quietLogger)
                let order = try #require(try await store.submit([template("T")]).first?.order)
                _ = try await store.change(orderID: order.orderID) { snapshot, _ throws(StoreError) in
                    var held = snapshot.order
                    held.status = .held
                    held.nextCheckAt = due
                    return ServicePointChanges(orders: [(held, [OrderEvent(type: .held)])])
                }
                store.close()
            }
            let store = try OrderStore(directory: path, logger: quietLogger)
            defer { store.close() }
            #expect(try store.nextDueTime() == due)
            #expect(try store.dueOrders(until: due, limit: 10) == ["SO000000000001"])
            #expect(try store.dueOrders(until: Timestamp(seconds: due.seconds - 1), limit: 10).isEmpty)
        }
    }
}
