internal import CLMDB

/// An `MDB_cursor` positioned somewhere in one database of one transaction.
///
/// Lifetime: opened on a transaction borrowed for the duration of one scan method and closed by
/// `deinit` before that method returns, so it never outlives its transaction (lmdb.h: a read-only
/// transaction's cursors "must be closed explicitly"). `key` and `value` point into the map and are
/// valid only until the next move; callers copy them out first.
struct Cursor: ~Copyable {
    private let handle: OpaquePointer
    private let txn: OpaquePointer
    private let dbi: MDB_dbi
    /// The current key, after a successful move (not updated by the `*_DUP` moves).
    private(set) var key = MDB_val()
    /// The current value, after a successful move.
    private(set) var value = MDB_val()

    /// Corresponds to `mdb_cursor_open`.
    init(_ txn: RawTransaction, _ db: Database) throws(LMDBError) {
        var cursor: OpaquePointer?
        try check(mdb_cursor_open(txn.handle, db.dbi, &cursor))
        guard let cursor else { throw .invalidArgument }
        self.handle = cursor
        self.txn = txn.handle
        self.dbi = db.dbi
    }

    /// Corresponds to `mdb_cursor_close`.
    deinit {
        mdb_cursor_close(handle)
    }

    /// Moves the cursor. Corresponds to `mdb_cursor_get`.
    /// - Returns: `false` at the end (`MDB_NOTFOUND`).
    mutating func move(_ op: MDB_cursor_op) throws(LMDBError) -> Bool {
        let rc = mdb_cursor_get(handle, &key, &value, op)
        if rc == MDB_NOTFOUND { return false }
        try check(rc)
        return true
    }

    /// Moves the cursor to `target` with `MDB_SET_KEY` or `MDB_SET_RANGE`, which both return the key
    /// found (pointing into the map, not at `target`, whose buffer is valid only during the call).
    /// Corresponds to `mdb_cursor_get`.
    mutating func move(_ op: MDB_cursor_op, to target: some Collection<UInt8>) throws(LMDBError) -> Bool {
        precondition(op == MDB_SET_KEY || op == MDB_SET_RANGE, "only ops that return the key")
        let handle = self.handle
        var found = MDB_val()
        var data = MDB_val()
        let rc = try withMDBVal(target) { (target: inout MDB_val) throws(LMDBError) -> Int32 in
            found = target
            return mdb_cursor_get(handle, &found, &data, op)
        }
        if rc == MDB_NOTFOUND { return false }
        try check(rc)
        key = found
        value = data
        return true
    }

    /// Compares the current key with `other` in the database's key order. Corresponds to `mdb_cmp`.
    func compareKey(to other: [UInt8]) throws(LMDBError) -> Int32 {
        var current = key
        let (txn, dbi) = (self.txn, self.dbi)
        return try withMDBVal(other) { (other: inout MDB_val) throws(LMDBError) -> Int32 in
            mdb_cmp(txn, dbi, &current, &other)
        }
    }

    /// Whether the current key starts with `prefix`.
    func keyHasPrefix(_ prefix: [UInt8]) -> Bool {
        guard key.mv_size >= prefix.count, let start = key.mv_data else { return prefix.isEmpty }
        // Lifetime: reads the map only while the cursor stays on this key.
        return UnsafeRawBufferPointer(start: start, count: prefix.count).elementsEqual(prefix)
    }

    /// The number of values of the current key. Corresponds to `mdb_cursor_count` (`dupSort` only).
    func valueCount() throws(LMDBError) -> Int {
        var count = 0
        try check(mdb_cursor_count(handle, &count))
        return count
    }
}

// MARK: - Range scans

extension RawTransaction {
    /// Visits the items of `range` in key order (or backwards), copying each key and value out
    /// before calling `body`. In `dupSort` databases every value is one item.
    func scan(
        _ db: Database,
        range: KeyRange,
        reverse: Bool,
        _ body: (_ key: [UInt8], _ value: [UInt8]) throws -> ScanControl
    ) throws {
        var cursor = try Cursor(self, db)
        var found = reverse ? try Self.positionAtEnd(&cursor, of: range) : try Self.positionAtStart(&cursor, of: range)
        while found {
            guard try Self.isInside(cursor, range, reverse: reverse) else { break }
            // Copy out now: the next move invalidates these pointers.
            if try body(cursor.key.copiedBytes, cursor.value.copiedBytes) == .stop { break }
            found = try cursor.move(reverse ? MDB_PREV : MDB_NEXT)
        }
    }

    /// Forward start: the first key `>= lower`, or the first key.
    private static func positionAtStart(_ cursor: inout Cursor, of range: KeyRange) throws(LMDBError) -> Bool {
        if let lower = range.lower, !lower.isEmpty {
            return try cursor.move(MDB_SET_RANGE, to: lower)
        }
        return try cursor.move(MDB_FIRST)
    }

    /// Backward start: the last item below (or at) the upper bound, including the last duplicate.
    private static func positionAtEnd(_ cursor: inout Cursor, of range: KeyRange) throws(LMDBError) -> Bool {
        switch range.upper {
        case .unbounded:
            return try cursor.move(MDB_LAST)
        case .exclusive(let end), .inclusive(let end):
            guard !end.isEmpty else { return false }  // no key sorts below the empty key
            guard try cursor.move(MDB_SET_RANGE, to: end) else {
                return try cursor.move(MDB_LAST)  // every key is below `end`
            }
            if case .inclusive = range.upper, try cursor.compareKey(to: end) == 0 {
                // On `end` itself: step past all of its values, then back onto the last one.
                return try cursor.move(MDB_NEXT_NODUP) ? try cursor.move(MDB_PREV) : try cursor.move(MDB_LAST)
            }
            return try cursor.move(MDB_PREV)
        }
    }

    /// Whether the cursor's key is still inside `range` on the side the scan is moving towards.
    private static func isInside(_ cursor: borrowing Cursor, _ range: KeyRange, reverse: Bool) throws(LMDBError) -> Bool {
        if let prefix = range.prefix, !cursor.keyHasPrefix(prefix) { return false }
        if reverse {
            guard let lower = range.lower, !lower.isEmpty else { return true }
            return try cursor.compareKey(to: lower) >= 0
        }
        switch range.upper {
        case .unbounded: return true
        case .exclusive(let end): return try cursor.compareKey(to: end) < 0
        case .inclusive(let end): return try cursor.compareKey(to: end) <= 0
        }
    }
}

// MARK: - Duplicate values

extension RawTransaction {
    /// Visits every value of `key` in value order (or backwards).
    func forEachValue(
        forKey key: some Collection<UInt8>,
        in db: Database,
        reverse: Bool,
        _ body: ([UInt8]) throws -> ScanControl
    ) throws {
        guard try flags(of: db).contains(.dupSort) else {
            // Without dupSort, MDB_NEXT_DUP would walk on to the next key; there is one value at most.
            if let value = try get(key, in: db) { _ = try body(value) }
            return
        }
        var cursor = try Cursor(self, db)
        guard try cursor.move(MDB_SET_KEY, to: key) else { return }
        var found = reverse ? try cursor.move(MDB_LAST_DUP) : true
        while found {
            // Copy out now: the next move invalidates the pointer.
            if try body(cursor.value.copiedBytes) == .stop { break }
            found = try cursor.move(reverse ? MDB_PREV_DUP : MDB_NEXT_DUP)
        }
    }

    /// The number of values of `key`: `mdb_cursor_count` in a `dupSort` database, else 0 or 1.
    func valueCount(forKey key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> Int {
        guard try flags(of: db).contains(.dupSort) else {
            return try get(key, in: db) == nil ? 0 : 1
        }
        var cursor = try Cursor(self, db)
        guard try cursor.move(MDB_SET_KEY, to: key) else { return 0 }
        return try cursor.valueCount()
    }

    /// Every value of `key`, in order.
    func values(forKey key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> [[UInt8]] {
        var values: [[UInt8]] = []
        do {
            try forEachValue(forKey: key, in: db, reverse: false) { value in
                values.append(value)
                return .continue
            }
        } catch let error as LMDBError {
            throw error
        } catch {
            preconditionFailure("the body above does not throw: \(error)")
        }
        return values
    }
}
