import Foundation
import SOMLMDB

/// A finished online backup.
public struct BackupResult: Sendable {
    /// The directory holding the copy's `data.mdb`.
    public var destination: String
    /// Size of the copy.
    public var bytes: Int
    /// Orders in the copy.
    public var orders: Int
    /// The newest transaction committed when the backup began; the copy holds it and everything before.
    public var transactionID: UInt64
    /// How long copying and verifying took.
    public var duration: Duration
}

extension OrderStore {
    /// Writes a consistent, compacted copy of the store into `destination` while the store keeps
    /// serving, then verifies the copy: every page of every tree, and opening it read-only.
    ///
    /// The copy reads one snapshot (`mdb_env_copy2` with `MDB_CP_COMPACT`), so writers never wait:
    /// everything committed before the call is in it. The destination must be an absolute path
    /// whose directory holds no `data.mdb` yet. A copy that fails verification is removed.
    public func backup(to destination: String) async throws(StoreError) -> BackupResult {
        guard destination.hasPrefix("/") else {
            throw .failedPrecondition("the backup destination must be an absolute path on the server's host: \(destination)")
        }
        let files = FileManager.default
        if files.fileExists(atPath: destination + "/data.mdb") {
            throw .failedPrecondition("\(destination) already holds a data.mdb; choose an empty directory")
        }
        let environment = self.environment
        let directory = self.directory
        let started = ContinuousClock.now
        return try await BlockingWork.run("som-backup") { () throws(StoreError) -> BackupResult in
            let transaction: Int
            do {
                // The copy's snapshot starts after this: it holds at least this transaction.
                transaction = try environment.info.lastTransactionID
                try environment.copy(to: destination, compact: true)
            } catch {
                throw GroupCommitWriter.storeError(error, directory: destination)
            }
            // Verify: every page of every tree, then open it read-only and count its orders.
            // (`somd check` adds the slower walk of every index against every order.)
            let structure = DataFileCheck(directory: destination).run(.full)
            let summary: DataFileCheck.Summary
            let orders: Int
            switch structure {
            case .sound(let found):
                summary = found
                do {
                    orders = try StoreCheck(directory: destination).countOrders()
                } catch {
                    try? files.removeItem(atPath: destination + "/data.mdb")
                    try? files.removeItem(atPath: destination + "/lock.mdb")
                    throw .storage("the backup of \(directory) into \(destination) cannot be opened: \(error)")
                }
            case .damaged(let problems):
                try? files.removeItem(atPath: destination + "/data.mdb")
                try? files.removeItem(atPath: destination + "/lock.mdb")
                throw .storage("the backup of \(directory) into \(destination) failed verification: \(problems.prefix(3).joined(separator: "; "))")
            case .empty:
                throw .storage("the backup of \(directory) into \(destination) wrote no data file")
            }
            // The copy's reader table is of no use to whoever restores it.
            try? files.removeItem(atPath: destination + "/lock.mdb")
            // Every customer's data: readable by the server's user only, like the store itself.
            try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination + "/data.mdb")
            try? files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: destination)
            return BackupResult(
                destination: destination, bytes: summary.fileSize, orders: orders,
                transactionID: UInt64(transaction), duration: ContinuousClock.now - started)
        }
    }
}
