import Foundation
import SOMCodec
import SOMLMDB
@testable import SOMStore
import SOMTestSupport
import Testing

@Suite("Archive", .timeLimit(.minutes(1)))
struct ArchiveTests {
    /// Submits `count` orders and cancels them (finished), returning their ids.
    func finishedOrders(_ store: OrderStore, _ count: Int, prefix: String) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let order = try #require(try await store.submit([template("\(prefix)\(index)", servicePoint: "SP-\(index % 3)")]).first?.order)
            _ = try await store.update(orderID: order.orderID) { order, now throws(StoreError) in
                order.status = .cancelled
                order.completedAt = now
                return [OrderEvent(type: .cancelled, detail: "test")]
            }
            ids.append(order.orderID)
        }
        return ids
    }

    static let farFuture = Timestamp(seconds: 4_000_000_000, nanos: 0)

    @Test("finished orders move to the file with their events; open orders and the newest event stay")
    func moves() async throws {
        try await withStore { store, directory in
            let finished = try await finishedOrders(store, 12, prefix: "F")
            let open = try #require(try await store.submit([template("OPEN")]).first?.order)
            let run = try await store.archive(finishedBefore: Self.farFuture, into: directory.appending("archive"))
            #expect(run.ordersArchived == 12)
            let file = try #require(run.file)
            #expect(try ArchiveFileReader.orders(in: file).map(\.orderID) == finished)
            #expect(try store.counts().orders == 1)
            #expect(try store.order(open.orderID).orderID == open.orderID)
            #expect(throws: StoreError.self) { _ = try store.order(finished[0]) }
            // The idempotency key is free again, the service point index forgets the order.
            #expect(try store.orderID(source: .cis, sourceRequestID: "F0") == nil)
            #expect(run.eventFloor == store.head.current)
            let lines = try ArchiveFileReader.lines(in: file)
            #expect(lines.filter { $0.hasPrefix(#"{"event":"#) }.count == run.eventsTrimmed)
            #expect(StoreCheck(directory: directory.appending("data")).run().problems.isEmpty)
        }
    }

    @Test("a run that died after writing its file is finished by the next: every order in exactly one file")
    func pendingRunFinished() async throws {
        try await withStore { store, directory in
            let archive = directory.appending("archive")
            let dead = try await finishedOrders(store, 10, prefix: "D")
            // Phase 1 of a run that then died: the durable file and the pending mark, no deletions.
            let orders = try dead.map { try store.order($0) }
            let writer = ArchiveFileWriter(path: archive + "/dead.jsonl.gz.partial", directoryToCreate: archive)
            try writer.append(try orders.map { #"{"order":"# + (try $0.jsonString()) + "}" })
            try writer.finish(renamingTo: archive + "/dead.jsonl.gz")
            try await store.perform(weight: 1) { txn, tables, _ in
                try txn.put(Array((archive + "/dead.jsonl.gz").utf8), forKey: ArchiveKeys.pending, in: tables.meta)
            }
            let later = try await finishedOrders(store, 3, prefix: "L")
            let run = try await store.archive(finishedBefore: Self.farFuture, into: archive)
            #expect(run.ordersArchived == 3)
            let second = try ArchiveFileReader.orders(in: try #require(run.file)).map(\.orderID)
            #expect(second == later)
            #expect(try store.counts().orders == 0)
        }
    }

    @Test("an archive directory on a full disk: storageFull, no partial file, nothing removed; the next run after space returns archives all",
          .enabled(if: SmallFileSystem.available, Comment(rawValue: SmallFileSystem.unavailableReason)))
    func archiveDiskFull() async throws {
        try await withStore { store, directory in
            let ids = try await finishedOrders(store, 40, prefix: "S")
            let mountPoint = directory.appending("archive-fs")
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            let fileSystem = try SmallFileSystem(at: mountPoint, megabytes: 1)
            let filler = fileSystem.fill()
            let archive = fileSystem.path + "/archive"
            do throws(StoreError) {
                let run = try await store.archive(finishedBefore: Self.farFuture, into: archive)
                Issue.record("archived onto a full disk: \(run)")
            } catch {
                guard case .storageFull = error else { Issue.record("expected storageFull, got \(error)"); return }
            }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: archive)) ?? []
            #expect(left.isEmpty, "files left behind: \(left)")
            #expect(try store.counts().orders == 40)
            try FileManager.default.removeItem(atPath: filler)
            let run = try await store.archive(finishedBefore: Self.farFuture, into: archive)
            #expect(run.ordersArchived == 40)
            #expect(try ArchiveFileReader.orders(in: try #require(run.file)).map(\.orderID) == ids)
        }
    }

    @Test("nothing old enough: no file, nothing removed")
    func nothingToDo() async throws {
        try await withStore { store, directory in
            _ = try await finishedOrders(store, 2, prefix: "N")
            let run = try await store.archive(finishedBefore: Timestamp(seconds: 1, nanos: 0), into: directory.appending("archive"))
            #expect(run.file == nil && run.ordersArchived == 0)
            #expect(try store.counts().orders == 2)
            #expect(!FileManager.default.fileExists(atPath: directory.appending("archive")), "a run with nothing to archive wrote files")
        }
    }
}
