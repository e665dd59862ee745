// The public cursor API of both transaction kinds; the cursor itself is in Cursor.swift.

extension ReadTransaction {
    /// Visits the items whose keys are in `range`, in key order (or backwards), until `body` returns
    /// ``ScanControl/stop`` or the range ends. In a `dupSort` database every value is one item, so a
    /// key with three values is visited three times (values in order, or reversed when `reverse`).
    ///
    /// Corresponds to `mdb_cursor_open`, `mdb_cursor_get` (`MDB_SET_RANGE`/`MDB_FIRST`, then `MDB_NEXT`;
    /// or `MDB_LAST`/`MDB_PREV`), `mdb_cmp` for the bounds, and `mdb_cursor_close`.
    /// - Parameters:
    ///   - db: the database.
    ///   - range: which keys; ``KeyRange/all`` by default.
    ///   - reverse: from the upper end of `range` down.
    ///   - body: gets copies of each key and value.
    /// - Throws: ``LMDBError`` (e.g. ``LMDBError/badValSize`` for a bound over the key size limit), or
    ///   whatever `body` throws, unchanged.
    public func scan(
        in db: Database,
        range: KeyRange = .all,
        reverse: Bool = false,
        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> ScanControl
    ) throws {
        try raw.scan(db, range: range, reverse: reverse, body)
    }

    /// Visits the values of `key` in value order (or backwards) until `body` returns ``ScanControl/stop``.
    /// Without `dupSort`, visits the single value if there is one.
    ///
    /// Corresponds to `mdb_cursor_get` with `MDB_SET_KEY`, then `MDB_NEXT_DUP` (or `MDB_LAST_DUP`, `MDB_PREV_DUP`).
    /// - Throws: ``LMDBError``, or whatever `body` throws, unchanged.
    public func forEachValue(
        forKey key: some Collection<UInt8>,
        in db: Database,
        reverse: Bool = false,
        _ body: ([UInt8]) throws -> ScanControl
    ) throws {
        try raw.forEachValue(forKey: key, in: db, reverse: reverse, body)
    }

    /// Copies of every value of `key`, in order (empty if the key is absent).
    ///
    /// Corresponds to `mdb_cursor_get` with `MDB_SET_KEY` and `MDB_NEXT_DUP`.
    public func values(forKey key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> [[UInt8]] {
        try raw.values(forKey: key, in: db)
    }

    /// How many values `key` has (0 if absent; at most 1 without `dupSort`).
    ///
    /// Corresponds to `mdb_cursor_count`.
    public func valueCount(forKey key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> Int {
        try raw.valueCount(forKey: key, in: db)
    }
}

extension WriteTransaction {
    /// Visits the items whose keys are in `range`, including this transaction's own writes, in key
    /// order (or backwards), until `body` returns ``ScanControl/stop`` or the range ends. In a `dupSort`
    /// database every value is one item.
    ///
    /// Corresponds to `mdb_cursor_open`, `mdb_cursor_get` (`MDB_SET_RANGE`/`MDB_FIRST`, then `MDB_NEXT`;
    /// or `MDB_LAST`/`MDB_PREV`), `mdb_cmp` for the bounds, and `mdb_cursor_close`.
    /// The body cannot write to the transaction while the scan runs; collect keys and write afterwards.
    /// - Throws: ``LMDBError``, or whatever `body` throws, unchanged.
    public func scan(
        in db: Database,
        range: KeyRange = .all,
        reverse: Bool = false,
        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> ScanControl
    ) throws {
        try raw.scan(db, range: range, reverse: reverse, body)
    }

    /// Visits the values of `key` in value order (or backwards) until `body` returns ``ScanControl/stop``.
    ///
    /// Corresponds to `mdb_cursor_get` with `MDB_SET_KEY`, then `MDB_NEXT_DUP` (or `MDB_LAST_DUP`, `MDB_PREV_DUP`).
    /// - Throws: ``LMDBError``, or whatever `body` throws, unchanged.
    public func forEachValue(
        forKey key: some Collection<UInt8>,
        in db: Database,
        reverse: Bool = false,
        _ body: ([UInt8]) throws -> ScanControl
    ) throws {
        try raw.forEachValue(forKey: key, in: db, reverse: reverse, body)
    }

    /// Copies of every value of `key`, in order (empty if the key is absent).
    ///
    /// Corresponds to `mdb_cursor_get` with `MDB_SET_KEY` and `MDB_NEXT_DUP`.
    public func values(forKey key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> [[UInt8]] {
        try raw.values(forKey: key, in: db)
    }

    /// How many values `key` has (0 if absent; at most 1 without `dupSort`).
    ///
    /// Corresponds to `mdb_cursor_count`.
    public func valueCount(forKey key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> Int {
        try raw.valueCount(forKey: key, in: db)
    }
}
