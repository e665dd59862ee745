import SOMCodec
@testable import SOMStore
import Testing

@Suite("Decoded orders and devices kept by the writer", .timeLimit(.minutes(2)))
struct DecodedRecordsTests {
    static func order(_ id: String, status: OrderStatus = .inProgress, statusDetail: String = "") -> Order {
        Order(orderID: id, status: status, statusDetail: statusDetail)
    }

    @Test("a cached order is used only for the very bytes it came from")
    func staleEntryNeverAnswers() throws {
        let records = DecodedRecords(capacity: 8)
        let written = Self.order("SO1", statusDetail: "written but never committed")
        records.remember(written, number: 1, bytes: written.encoded())
        let stored = Self.order("SO1", statusDetail: "what the store holds")
        #expect(records.order(1, bytes: stored.encoded())?.statusDetail == "what the store holds")
        #expect(records.order(1, bytes: stored.encoded())?.statusDetail == "what the store holds")
        #expect(records.hits == 1 && records.misses == 1)
    }

    @Test("entries stay within capacity, oldest first out; finished orders are dropped")
    func bounded() throws {
        let records = DecodedRecords(capacity: 2)
        for number in UInt64(1)...3 {
            let order = Self.order("SO\(number)")
            records.remember(order, number: number, bytes: order.encoded())
        }
        let first = Self.order("SO1"), third = Self.order("SO3")
        _ = records.order(1, bytes: first.encoded())
        #expect(records.misses == 1, "the oldest entry was evicted")
        _ = records.order(3, bytes: third.encoded())
        #expect(records.hits == 1)
        let done = Self.order("SO3", status: .completed)
        records.remember(done, number: 3, bytes: done.encoded())
        _ = records.order(3, bytes: done.encoded())
        #expect(records.misses == 2, "a finished order is not kept")
        for number in UInt64(10)..<200 {
            let order = Self.order("SO\(number)", status: number % 2 == 0 ? .completed : .inProgress)
            records.remember(order, number: number, bytes: order.encoded())
        }
        let last = Self.order("SO199")
        _ = records.order(199, bytes: last.encoded())
        #expect(records.hits == 2)
    }

    @Test("decisions see devices and orders changed by other writes, with the cache on and off", arguments: [0, 32])
    func decisionsSeeOtherWrites(kept: Int) async throws {
        var options = OrderStore.Options()
        options.decodedRecordsKept = kept
        try await withStore(options: options) { store, _ in
            _ = try await store.upsertDevices([ServicePointDevice(servicePointID: "SP-1", meterID: "M-1", technology: .manual)])
            let outcomes = try await store.submit([template("A"), template("B")])
            let a = try #require(outcomes[0].order), b = try #require(outcomes[1].order)
            let seen = { @Sendable () async throws -> (String?, [String]) in
                let result = try await store.change(orderID: a.orderID) { snapshot, _ throws(StoreError) in
                    (ServicePointChanges(orders: [(snapshot.order, [])]), (snapshot.device?.meterID, snapshot.otherOpenOrders.map(\.statusDetail)))
                }
                return result.1
            }
            #expect(try await seen() == ("M-1", [""]))
            _ = try await store.upsertDevices([ServicePointDevice(servicePointID: "SP-1", meterID: "M-2", technology: .manual)])
            _ = try await store.update(orderID: b.orderID) { order, _ throws(StoreError) in
                order.statusDetail = "changed by an update"
                return []
            }
            #expect(try await seen() == ("M-2", ["changed by an update"]))
            let updated = try await store.update(orderID: a.orderID) { order, _ throws(StoreError) in
                order.statusDetail = "updated"
                return []
            }
            #expect(updated.version == 4)
            #expect(try store.order(a.orderID).statusDetail == "updated")
        }
    }
}
