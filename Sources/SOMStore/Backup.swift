import Foundation
import NIOConcurrencyHelpers
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
    /// whose directory holds no `data.mdb` yet. A copy that fails verification is removed; a copy that
    /// is interrupted leaves only a hidden staging directory, which the next backup there replaces.
    public func backup(to destination: String) async throws(StoreError) -> BackupResult {
        guard destination.hasPrefix("/") else {
            throw .failedPrecondition("the backup destination must be an absolute path on the server's host: \(destination)")
        }
        let files = FileManager.default
        if files.fileExists(atPath: destination + "/data.mdb") {
            throw .failedPrecondition("\(destination) already holds a data.mdb; choose an empty directory")
        }
        // Two backups into one directory would share its staging directory.
        guard Self.runningBackups.withLockedValue({ $0.insert(destination).inserted }) else {
            throw .failedPrecondition("a backup into \(destination) is already running")
        }
        defer { _ = Self.runningBackups.withLockedValue { $0.remove(destination) } }
        let environment = self.environment
        let directory = self.directory
        let started = ContinuousClock.now
        return try await BlockingWork.run("som-backup") { () throws(StoreError) -> BackupResult in
            // The copy is made and checked in a hidden staging directory and renamed into place
            // last, so a backup killed part-way never leaves a `data.mdb` that looks like a backup.
            let staging = destination + "/" + Self.backupStagingName
            try? files.removeItem(atPath: staging)  // left by a backup that was killed
            defer { try? files.removeItem(atPath: staging) }
            let transaction: Int
            do {
                // The copy's snapshot starts after this: it holds at least this transaction.
                transaction = try environment.info.lastTransactionID
                try environment.copy(to: staging, compact: true)
            } catch {
                throw GroupCommitWriter.storeError(error, directory: destination)
            }
            // Verify: every page of every tree, then open it read-only and count its orders.
            // (`somd check` adds the slower walk of every index against every order.)
            let summary: DataFileCheck.Summary
            let orders: Int
            switch DataFileCheck(directory: staging).run(.full) {
            case .sound(let found):
                summary = found
                do {
                    orders = try StoreCheck(directory: staging).countOrders()
                } catch {
                    throw .storage("the backup of \(directory) into \(destination) cannot be opened: \(error)")
                }
            case .damaged(let problems):
                throw .storage("the backup of \(directory) into \(destination) failed verification: \(problems.prefix(3).joined(separator: "; "))")
            case .empty:
                throw .storage("the backup of \(directory) into \(destination) wrote no data file")
            }
            // Every customer's data: readable by the server's user only, like the store itself.
            try? files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: staging + "/data.mdb")
            try? files.setAttributes([.posixPermissions: 0o700], ofItemAtPath: destination)
            do throws(StoreError) {
                // On disk before it has its name: a power cut after the rename finds a whole copy.
                try DurableFile.place(staging + "/data.mdb", at: destination + "/data.mdb")
            } catch {
                throw .storage("the backup of \(directory) into \(destination) could not be put in place: \(error)")
            }
            return BackupResult(
                destination: destination, bytes: summary.fileSize, orders: orders,
                transactionID: UInt64(transaction), duration: ContinuousClock.now - started)
        }
    }
}

extension OrderStore {
    /// Where a backup is written before it is checked and renamed into the destination.
    static let backupStagingName = ".backup-in-progress"

    /// Destinations of the backups running in this process.
    static let runningBackups = NIOLockedValueBox<Set<String>>([])
}
