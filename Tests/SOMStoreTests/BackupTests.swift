import Foundation
import SOMCodec
@testable import SOMStore
import SOMTestSupport
import Testing

@Suite("Backup", .timeLimit(.minutes(1)))
struct BackupTests {
    @Test("what a killed backup leaves is no backup: no data.mdb, a restore refuses it, and the next backup there replaces it")
    func interruptedBackupLeavesNoBackup() async throws {
        try await withStore { store, directory in
            for index in 0..<20 { _ = try await store.submit([template("B\(index)", servicePoint: "SP-\(index)")]) }
            // A backup killed part-way leaves its staging directory with a torn copy.
            let destination = directory.appending("backup")
            let staging = destination + "/" + OrderStore.backupStagingName
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            try Data(repeating: 0xAB, count: 8192).write(to: URL(fileURLWithPath: staging + "/data.mdb"))
            #expect(!FileManager.default.fileExists(atPath: destination + "/data.mdb"))
            #expect(throws: (any Error).self) {
                try StoreRestore(backup: destination, directory: directory.appending("restored"), replace: false).run()
            }

            let backup = try await store.backup(to: destination)
            #expect(backup.orders == 20)
            #expect(!FileManager.default.fileExists(atPath: staging), "the staging directory outlived the backup")
            #expect(FileManager.default.fileExists(atPath: destination + "/data.mdb"))
            #expect(try StoreCheck(directory: destination).countOrders() == 20)
        }
    }

    @Test("a second backup into a directory whose backup is still running is refused")
    func concurrentBackupRefused() async throws {
        try await withStore { store, directory in
            _ = try await store.submit([template("C1")])
            let destination = directory.appending("backup")
            let first = Task { try await store.backup(to: destination) }
            let second = Task { try await store.backup(to: destination) }
            let outcomes = [await first.result, await second.result]
            let successes = outcomes.filter { if case .success = $0 { true } else { false } }
            // Either they overlapped (one refused as running) or ran one after the other (the
            // second refused because the first's data.mdb is there): exactly one copy, never two.
            #expect(successes.count == 1)
            #expect(try StoreCheck(directory: destination).countOrders() == 1)
        }
    }
}
