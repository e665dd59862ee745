internal import CLMDB

/// The transaction entry points, and the automatic map growth that `write` adds around them.
///
/// LMDB's map size is the database's maximum size; a write that needs more fails with `MDB_MAP_FULL`
/// and poisons its transaction. `write` answers that by aborting, doubling the map with
/// `mdb_env_set_mapsize` (allowed only while this process has no live transaction, which the
/// environment's gate ensures), and running the whole body again. The map never shrinks.
extension Environment {
    /// Runs `body` in a read-only snapshot and ends the snapshot afterwards.
    ///
    /// Corresponds to `mdb_txn_begin(MDB_RDONLY)` … `mdb_txn_abort`. If another process has grown the
    /// map (`MDB_MAP_RESIZED`), adopts the new size with `mdb_env_set_mapsize(env, 0)` and retries.
    /// Any thread may call this, concurrently with other readers and the writer; each read holds one
    /// of `maxReaders` slots while it runs.
    /// - Parameter body: synchronous; the transaction cannot escape it, and returned bytes are copies.
    /// - Returns: what `body` returns.
    /// - Throws: ``LMDBError`` from LMDB (e.g. ``LMDBError/readersFull``), or whatever `body` throws, unchanged.
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        try runRead(commit: false, body)
    }

    /// Runs `body` in a write transaction and commits it; if `body` throws, aborts and rethrows.
    ///
    /// Corresponds to `mdb_txn_begin` … `mdb_txn_commit` (or `mdb_txn_abort`). If any operation in
    /// `body`, or the commit, fails with `MDB_MAP_FULL`, the transaction is aborted, the map is doubled
    /// (never past `options.maxMapSize`) and **`body` runs again from the start** in a fresh transaction.
    /// So `body` must have no effects outside the transaction (no counters, no I/O, no sends), or must
    /// tolerate repeats. Once the cap is reached, throws ``LMDBError/mapFull`` and nothing is committed.
    ///
    /// Threading: LMDB allows one write transaction at a time, so concurrent `write` calls queue up;
    /// the design is one writer thread. Growth waits until no read transaction of this process is live.
    /// Do not call `write` from inside another `read` or `write` body on the same thread (deadlock).
    /// - Parameter body: synchronous; the transaction cannot escape it.
    /// - Returns: what `body` returns, after a successful commit.
    /// - Throws: ``LMDBError`` from LMDB (``LMDBError/permissionDenied`` on a read-only environment,
    ///   ``LMDBError/mapFull`` at the cap), or whatever `body` throws, unchanged.
    public func write<R>(_ body: (inout WriteTransaction) throws -> R) throws -> R {
        while true {
            switch try attemptWrite(body) {
            case .committed(let result):
                return result
            case .mapResized:
                try adoptMapSize()
            case .mapFull(let sizeWhenFull):
                try growMap(from: sizeWhenFull)
            }
        }
    }

    // MARK: - Internals

    private enum WriteAttempt<R> {
        case committed(R)
        case mapResized
        case mapFull(mapSize: Int)
    }

    private enum ReadAttempt<R> {
        case finished(R)
        case mapResized
    }

    /// `read`, optionally committing instead of aborting (to keep database handles opened in a
    /// read-only environment).
    func runRead<R>(commit: Bool, _ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        while true {
            let attempt = try gate.withShared { () throws -> ReadAttempt<R> in
                guard let handle = try beginTransaction(readOnly: true) else { return .mapResized }
                let txn = ReadTransaction(handle: handle)
                let result = try body(txn)
                if commit {
                    try txn.commit()
                } else {
                    txn.abort()
                }
                return .finished(result)
            }
            switch attempt {
            case .finished(let result):
                return result
            case .mapResized:
                try adoptMapSize()
            }
        }
    }

    /// One try of a write body, holding the gate shared from begin to commit/abort.
    private func attemptWrite<R>(_ body: (inout WriteTransaction) throws -> R) throws -> WriteAttempt<R> {
        try gate.withShared { () throws -> WriteAttempt<R> in
            guard let handle = try beginTransaction(readOnly: false) else { return .mapResized }
            var txn = WriteTransaction(handle: handle)
            // No other transaction of this process can remap while we hold the gate, so this is the
            // size the transaction ran out of.
            let mapSize = try Self.info(try openHandle()).mapSize
            let result: R
            do {
                result = try body(&txn)
            } catch {
                let full = txn.hitMapFull
                txn.abort()
                if full { return .mapFull(mapSize: mapSize) }
                throw error
            }
            if txn.hitMapFull {
                // The body caught MDB_MAP_FULL itself; the transaction is poisoned all the same.
                txn.abort()
                return .mapFull(mapSize: mapSize)
            }
            do throws(LMDBError) {
                try txn.commit()
            } catch {
                if error == .mapFull { return .mapFull(mapSize: mapSize) }
                throw error
            }
            return .committed(result)
        }
    }

    /// Doubles the map, capped at `options.maxMapSize`. Holds the gate exclusively: lmdb.h allows
    /// `mdb_env_set_mapsize` on an open environment only "if no transactions are active in this process".
    /// - Parameter sizeWhenFull: the map size the failed transaction saw; if the map is already larger,
    ///   another writer grew it in the meantime and this does nothing.
    /// - Throws: ``LMDBError/mapFull`` when the map is already at the cap.
    private func growMap(from sizeWhenFull: Int) throws(LMDBError) {
        try gate.withExclusive { () throws(LMDBError) in
            let env = try openHandle()
            let current = try Self.info(env).mapSize
            guard current <= sizeWhenFull else { return }
            let cap = options.maxMapSize ?? Int.max
            guard current < cap else { throw .mapFull }
            let (doubled, overflow) = current.multipliedReportingOverflow(by: 2)
            try check(mdb_env_set_mapsize(env, overflow ? cap : min(doubled, cap)))
        }
    }
}
