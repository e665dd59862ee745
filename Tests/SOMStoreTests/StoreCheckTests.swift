import Foundation
import SOMCodec
import SOMLMDB
@testable import SOMStore
import SOMTestSupport
import Testing

/// `somd check`'s consistency rules, each broken on purpose in a real store.
@Suite("Store check", .timeLimit(.minutes(1)))
struct StoreCheckTests {
    /// A closed store of 40 orders on 8 service points, then `damage` applied through raw LMDB.
    func checked(damage: (inout WriteTransaction) throws -> Void) async throws -> StoreCheck.Report {
        try await withTemporaryDirectory(prefix: "som-check") { directory in
            let path = directory.appending("data")
            let store = try OrderStore(directory: path, logger: quietLogger)
            for index in 0..<40 { _ = try await store.submit([template("K\(index)", servicePoint: "SP-\(index % 8)")]) }
            store.close()
            let environment = try Environment(path: path, options: .init(maxDatabases: 16))
            try environment.write { txn in try damage(&txn) }
            environment.close()
            return StoreCheck(directory: path).run()
        }
    }

    @Test("an untouched store is consistent")
    func sound() async throws {
        let report = try await checked { _ in }
        #expect(report.consistent, "\(report.problems)")
        #expect(report.orders == 40)
        #expect(report.events == 40)
    }

    @Test("a missing by-service-point entry is reported")
    func missingServicePointEntry() async throws {
        let report = try await checked { txn in
            let table = try txn.openDatabase(name: StoreSchema.byServicePoint)
            _ = try txn.delete(Keys.servicePoint("SP-3", 4), in: table)
        }
        #expect(!report.consistent)
        #expect(report.problems.contains { $0.contains("SO000000000004") && $0.contains("by-service-point") }, "\(report.problems)")
    }

    @Test("an open-orders entry for an order that does not exist is reported")
    func danglingStatusEntry() async throws {
        let report = try await checked { txn in
            let table = try txn.openDatabase(name: StoreSchema.byStatus)
            try txn.put([], forKey: Keys.status(.received, 999), in: table)
        }
        #expect(report.problems.contains { $0.contains("SO000000000999") && $0.contains("does not exist") }, "\(report.problems)")
    }

    @Test("a gap in the event log is reported")
    func eventGap() async throws {
        let report = try await checked { txn in
            let table = try txn.openDatabase(name: StoreSchema.events)
            _ = try txn.delete(Keys.event(17), in: table)
        }
        #expect(report.problems.contains { $0.contains("jumps from 16 to 18") }, "\(report.problems)")
    }

    @Test("an idempotency key pointing at another order is reported")
    func idempotencyMismatch() async throws {
        let report = try await checked { txn in
            let table = try txn.openDatabase(name: StoreSchema.idempotency)
            try txn.put(UInt64(2).bigEndianBytes, forKey: Keys.idempotency(.cis, "K0"), in: table)
        }
        #expect(report.problems.contains { $0.contains("SO000000000001") && $0.contains("idempotency") }, "\(report.problems)")
    }
}
