internal import CLMDB

/// Flags for ``WriteTransaction/put(_:forKey:in:flags:)``. The raw values are the C constants from `lmdb.h`.
public struct PutFlags: OptionSet, Sendable, Hashable {
    /// The `MDB_*` bit mask.
    public let rawValue: UInt32

    /// Wraps a raw `MDB_*` bit mask.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// Fail with ``LMDBError/keyExist`` if the key already exists (even in a `dupSort` database).
    /// Corresponds to `MDB_NOOVERWRITE`.
    public static let noOverwrite = PutFlags(rawValue: UInt32(MDB_NOOVERWRITE))
    /// In a `dupSort` database, fail with ``LMDBError/keyExist`` if this exact key/value pair exists.
    /// Corresponds to `MDB_NODUPDATA`.
    public static let noDupData = PutFlags(rawValue: UInt32(MDB_NODUPDATA))
    /// Fast bulk load: the key must sort after every existing key, else ``LMDBError/keyExist``.
    /// Corresponds to `MDB_APPEND`.
    public static let append = PutFlags(rawValue: UInt32(MDB_APPEND))
    /// Like `append` for the values of a `dupSort` key. Corresponds to `MDB_APPENDDUP`.
    public static let appendDup = PutFlags(rawValue: UInt32(MDB_APPENDDUP))
}

// MARK: - Reads (both kinds of transaction)

extension ReadTransaction {
    /// A copy of the value stored under `key`, or `nil` if there is none. In a `dupSort` database,
    /// the first (smallest) value.
    ///
    /// Corresponds to `mdb_get`.
    /// - Throws: ``LMDBError/badValSize`` for an empty key or one longer than the key size limit.
    public func get(_ key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> [UInt8]? {
        try raw.get(key, in: db)
    }

    /// Whether `key` has a value. Corresponds to `mdb_get`.
    public func contains(_ key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> Bool {
        try raw.get(key, in: db) != nil
    }

    /// The number of key/value items in `db` (every duplicate counts). Corresponds to `mdb_stat`'s `ms_entries`.
    public func count(in db: Database) throws(LMDBError) -> Int {
        try raw.stat(of: db).entries
    }

    /// B-tree statistics of `db`. Corresponds to `mdb_stat`.
    public func stat(of db: Database) throws(LMDBError) -> Environment.Statistics {
        try raw.stat(of: db)
    }
}

extension WriteTransaction {
    /// A copy of the value stored under `key` (including this transaction's own writes), or `nil`.
    /// In a `dupSort` database, the first (smallest) value.
    ///
    /// Corresponds to `mdb_get`.
    /// - Throws: ``LMDBError/badValSize`` for an empty key or one longer than the key size limit.
    public func get(_ key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> [UInt8]? {
        try raw.get(key, in: db)
    }

    /// Whether `key` has a value. Corresponds to `mdb_get`.
    public func contains(_ key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> Bool {
        try raw.get(key, in: db) != nil
    }

    /// The number of key/value items in `db` (every duplicate counts). Corresponds to `mdb_stat`'s `ms_entries`.
    public func count(in db: Database) throws(LMDBError) -> Int {
        try raw.stat(of: db).entries
    }

    /// B-tree statistics of `db`. Corresponds to `mdb_stat`.
    public func stat(of db: Database) throws(LMDBError) -> Environment.Statistics {
        try raw.stat(of: db)
    }
}

// MARK: - Writes

extension WriteTransaction {
    /// Stores `value` under `key`, replacing the old value (or, in a `dupSort` database, adding it to
    /// the key's values).
    ///
    /// Corresponds to `mdb_put`.
    /// - Parameters:
    ///   - value: the bytes to store; copied into the database.
    ///   - key: 1 to ``Environment/maxKeySize`` bytes.
    ///   - db: the database.
    ///   - flags: e.g. ``PutFlags/noOverwrite``.
    /// - Throws: ``LMDBError/keyExist`` when a flag forbids the write; ``LMDBError/badValSize`` for a bad
    ///   key size; ``LMDBError/mapFull`` (which ``Environment/write(_:)`` handles by growing and rerunning).
    public mutating func put(
        _ value: some Collection<UInt8>,
        forKey key: some Collection<UInt8>,
        in db: Database,
        flags: PutFlags = []
    ) throws(LMDBError) {
        let raw = self.raw
        try recordingMapFull { () throws(LMDBError) in
            try raw.put(value, forKey: key, in: db, flags: flags)
        }
    }

    /// Deletes `key` and all its values.
    ///
    /// Corresponds to `mdb_del` with a `NULL` data argument.
    /// - Returns: `false` if the key did not exist (`MDB_NOTFOUND`).
    @discardableResult
    public mutating func delete(_ key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> Bool {
        let raw = self.raw
        return try recordingMapFull { () throws(LMDBError) -> Bool in
            try raw.delete(key: key, value: [UInt8]?.none, in: db)
        }
    }

    /// Deletes one value of a `dupSort` key. In a database without `dupSort`, LMDB ignores `value`
    /// and deletes the key.
    ///
    /// Corresponds to `mdb_del` with a data argument.
    /// - Returns: `false` if the pair did not exist (`MDB_NOTFOUND`).
    @discardableResult
    public mutating func delete(
        _ key: some Collection<UInt8>,
        value: some Collection<UInt8>,
        in db: Database
    ) throws(LMDBError) -> Bool {
        let raw = self.raw
        return try recordingMapFull { () throws(LMDBError) -> Bool in
            try raw.delete(key: key, value: value, in: db)
        }
    }

    /// Deletes every item of `db`, keeping the database and its handle.
    ///
    /// Corresponds to `mdb_drop` with `del = 0`.
    public mutating func removeAll(in db: Database) throws(LMDBError) {
        let raw = self.raw
        try recordingMapFull { () throws(LMDBError) in try raw.drop(db, delete: false) }
    }
}
