internal import CLMDB

/// A read-only snapshot of the environment, lent to the body of ``Environment/read(_:)``.
///
/// Corresponds to an `MDB_txn` begun with `MDB_RDONLY`. It sees the data as of the moment it began
/// (MVCC): writes committed later by other threads or processes are invisible to it.
///
/// `~Copyable` and only ever lent (`borrowing`), so it cannot outlive its closure. Because the
/// environment uses `MDB_NOTLS`, it is not tied to the thread that began it, but it must not be used
/// by two threads at once — which the synchronous closure API already guarantees.
public struct ReadTransaction: ~Copyable {
    /// The `MDB_txn*`. Lifetime: valid from `mdb_txn_begin` until `abort`, `commit` or `deinit`,
    /// exactly one of which runs.
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        mdb_txn_abort(handle)
    }

    /// Ends the snapshot and releases its reader slot. Corresponds to `mdb_txn_abort`.
    consuming func abort() {
        let handle = self.handle
        discard self
        mdb_txn_abort(handle)
    }

    /// Ends the snapshot, keeping any database handles opened in it. Corresponds to `mdb_txn_commit`.
    consuming func commit() throws(LMDBError) {
        let handle = self.handle
        discard self
        // mdb_txn_commit frees the transaction whether or not it succeeds.
        try check(mdb_txn_commit(handle))
    }

    /// The ID of the snapshot: the ID of the last write transaction committed when this one began.
    ///
    /// Corresponds to `mdb_txn_id`.
    public var id: Int {
        mdb_txn_id(handle)
    }

    var raw: RawTransaction { RawTransaction(handle: handle) }
}

/// A write transaction, lent `inout` to the body of ``Environment/write(_:)``, which commits it when
/// the body returns and aborts it when the body throws.
///
/// Corresponds to an `MDB_txn` begun without flags. LMDB allows only one at a time per environment
/// (across processes); it must stay on the thread that began it, which the synchronous closure
/// API guarantees. It sees its own uncommitted writes.
public struct WriteTransaction: ~Copyable {
    /// The `MDB_txn*`. Lifetime: valid from `mdb_txn_begin` until `abort`, `commit` or `deinit`,
    /// exactly one of which runs.
    let handle: OpaquePointer

    /// Set when any operation returned `MDB_MAP_FULL`: LMDB has then poisoned the transaction, and
    /// ``Environment/write(_:)`` grows the map and reruns the body whatever the body did with the error.
    var hitMapFull = false

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        mdb_txn_abort(handle)
    }

    /// Discards every change. Corresponds to `mdb_txn_abort`.
    consuming func abort() {
        let handle = self.handle
        discard self
        mdb_txn_abort(handle)
    }

    /// Makes every change durable and visible. Corresponds to `mdb_txn_commit`.
    /// - Throws: ``LMDBError``: `MDB_MAP_FULL`, `EINVAL`, `ENOSPC`, `EIO`, `ENOMEM`.
    consuming func commit() throws(LMDBError) {
        let handle = self.handle
        discard self
        // mdb_txn_commit frees the transaction whether or not it succeeds.
        try check(mdb_txn_commit(handle))
    }

    /// The ID this transaction will have once committed.
    ///
    /// Corresponds to `mdb_txn_id`.
    public var id: Int {
        mdb_txn_id(handle)
    }

    var raw: RawTransaction { RawTransaction(handle: handle) }

    /// Runs one mutating C call, remembering `MDB_MAP_FULL` for ``Environment/write(_:)``.
    mutating func recordingMapFull<R>(_ body: () throws(LMDBError) -> R) throws(LMDBError) -> R {
        do {
            return try body()
        } catch {
            if error == .mapFull { hitMapFull = true }
            throw error
        }
    }
}

extension Environment {
    /// Begins a transaction; returns `nil` on `MDB_MAP_RESIZED` so the caller can adopt the new size
    /// (which needs the gate exclusively) and retry. Call while holding the gate shared.
    ///
    /// Corresponds to `mdb_txn_begin`.
    func beginTransaction(readOnly: Bool) throws(LMDBError) -> OpaquePointer? {
        let env = try openHandle()
        var txn: OpaquePointer?
        let rc = mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn)
        if rc == MDB_MAP_RESIZED { return nil }
        try check(rc)
        guard let txn else { throw .invalidArgument }
        return txn
    }

    /// Adopts a map size grown by another process: lmdb.h says `mdb_txn_begin` returns
    /// `MDB_MAP_RESIZED` then, and `mdb_env_set_mapsize(env, 0)` picks up the new size.
    /// Takes the gate exclusively because it remaps.
    func adoptMapSize() throws(LMDBError) {
        try gate.withExclusive { () throws(LMDBError) in
            try check(mdb_env_set_mapsize(try openHandle(), 0))
        }
    }
}
