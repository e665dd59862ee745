import Foundation
import SOMLMDB

/// Puts a checked backup in place as a data directory's `data.mdb`.
///
/// The backup is checked in full first; the target's `som.lock` is taken, so a running somd makes
/// the restore fail instead of having its file replaced under it; the copy is written beside the
/// target, flushed, then renamed over it, so a crash leaves either the old file or the new one.
public struct StoreRestore: Sendable {
    /// The backup directory (with `data.mdb`).
    public let backup: String
    /// The data directory restored into.
    public let directory: String
    /// Whether an existing store may be replaced (it is kept as `data.mdb.before-restore`).
    public let replace: Bool

    /// A restore of `backup` into `directory`.
    public init(backup: String, directory: String, replace: Bool) {
        self.backup = backup
        self.directory = directory
        self.replace = replace
    }

    /// What was restored.
    public struct Result: Sendable {
        /// Orders in the restored store.
        public var orders: Int
        /// Size of the restored data file.
        public var bytes: Int
    }

    /// Checks, copies, flushes and renames.
    public func run() throws(StoreError) -> Result {
        let check = StoreCheck(directory: backup).run()
        switch check.structure {
        case .empty: throw .cannotOpen(path: backup, reason: "no backup there (no data.mdb, or an empty one)")
        case .damaged(let problems): throw .damaged(path: backup, problems: problems)
        case .sound: break
        }
        guard check.consistent else { throw .damaged(path: backup, problems: check.problems) }
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw .cannotOpen(path: directory, reason: error.localizedDescription)
        }
        let lock = try OrderStore.lockDataDirectory(directory)
        defer { lock.release() }
        let target = directory + "/data.mdb", kept = directory + "/data.mdb.before-restore"
        let existing = (try? files.attributesOfItem(atPath: target))?[.size] as? Int ?? 0
        if existing > 0 {
            guard replace else {
                throw .failedPrecondition("\(directory) already holds a store (\(existing) bytes); give --replace to replace it")
            }
            guard !files.fileExists(atPath: kept) else {
                throw .failedPrecondition("\(kept) exists from an earlier restore; move it away first")
            }
        }
        let staging = directory + "/data.mdb.restoring"
        do {
            try? files.removeItem(atPath: staging)
            try files.copyItem(atPath: backup + "/data.mdb", toPath: staging)
            if existing > 0 { try files.moveItem(atPath: target, toPath: kept) }
            try DurableFile.place(staging, at: target)
            // A reader table from the old file's processes means nothing for the new one.
            try? files.removeItem(atPath: directory + "/lock.mdb")
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: directory, reason: "restore failed: \(error.localizedDescription)")
        }
        let bytes = (try? files.attributesOfItem(atPath: target))?[.size] as? Int ?? 0
        return Result(orders: check.orders, bytes: bytes)
    }
}
