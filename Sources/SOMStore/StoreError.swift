/// Why a store operation failed. SOMServer maps each case to exactly one wire status.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process holds the data directory's lock.
    case dataDirectoryInUse(path: String, pid: Int32)
    /// The data directory was written by a newer binary.
    case schemaTooNew(found: UInt32, supported: UInt32)
    /// The environment could not be opened (permissions, not an LMDB file, ...).
    case cannotOpen(path: String, reason: String)
    /// The data file failed its structure check; it was not opened for writing.
    case damaged(path: String, problems: [String])
    /// The directory once held a store (its lock files remain) but its data file is empty or gone.
    case dataMissing(path: String)
    /// The map reached its configured cap or the disk is full; nothing of the failed write was kept.
    case storageFull(String)
    /// No such order, device, ...
    case notFound(String)
    /// The idempotency key names an existing order whose request differs.
    case idempotencyConflict(existingOrderID: String)
    /// A record with this key exists already (e.g. adding a gateway the registry knows).
    case alreadyExists(String)
    /// The operation is not allowed in the record's current state (e.g. cancelling a completed order).
    case failedPrecondition(String)
    /// A page token that this server did not issue for this query.
    case invalidPageToken
    /// A watch asked for events the log no longer keeps.
    case belowRetentionFloor(requested: UInt64, floor: UInt64)
    /// The store is closed (server shutting down).
    case closed
    /// Any other storage failure (I/O error, corruption), with LMDB's message.
    case storage(String)

    public var description: String {
        switch self {
        case .dataDirectoryInUse(let path, let pid):
            return "data directory \(path) is already in use" + (pid > 0 ? " by process \(pid)" : " by another process")
        case .schemaTooNew(let found, let supported):
            return "the data was written with schema version \(found); this binary understands up to \(supported): upgrade somd"
        case .cannotOpen(let path, let reason):
            return "cannot open the store at \(path): \(reason)"
        case .damaged(let path, let problems):
            return "\(path)/data.mdb is damaged (\(problems.first ?? "structure check failed")"
                + (problems.count > 1 ? "; \(problems.count - 1) more problem(s), see `somd check`" : "")
                + "); restore it from a backup (`somd restore`)"
        case .dataMissing(let path):
            return "\(path) once held a store, but its data.mdb is empty or missing; restore it from a backup, "
                + "or start with --init to begin an empty store there"
        case .storageFull(let reason):
            return "storage full: \(reason)"
        case .notFound(let what):
            return "\(what) not found"
        case .idempotencyConflict(let existing):
            return "the idempotency key (source system, source request id) is already used by order \(existing) with different content"
        case .alreadyExists(let what):
            return "\(what) already exists"
        case .failedPrecondition(let reason):
            return reason
        case .invalidPageToken:
            return "page_token was not issued for this query"
        case .belowRetentionFloor(let requested, let floor):
            return "events before sequence \(floor) are no longer kept (asked from \(requested)); resume from \(floor) or later"
        case .closed:
            return "the store is closed"
        case .storage(let reason):
            return "storage error: \(reason)"
        }
    }
}
