internal import CLMDB

/// The C calls shared by ``ReadTransaction`` and ``WriteTransaction``, on a borrowed `MDB_txn*`.
///
/// Lifetime: a `RawTransaction` is a non-owning copy of the handle, made and used inside one method of
/// an owning transaction, so it never outlives it. Every `MDB_val` LMDB fills in is copied into a
/// `[UInt8]` before the method returns.
struct RawTransaction {
    let handle: OpaquePointer

    /// Corresponds to `mdb_dbi_open`.
    func openDatabase(name: String?, flags: Database.Flags) throws(LMDBError) -> Database {
        var dbi: MDB_dbi = 0
        if let name {
            try check(mdb_dbi_open(handle, name, flags.rawValue, &dbi))
        } else {
            try check(mdb_dbi_open(handle, nil, flags.rawValue, &dbi))
        }
        return Database(dbi: dbi)
    }

    /// Corresponds to `mdb_dbi_flags`.
    func flags(of db: Database) throws(LMDBError) -> Database.Flags {
        var raw: UInt32 = 0
        try check(mdb_dbi_flags(handle, db.dbi, &raw))
        return Database.Flags(rawValue: raw)
    }

    /// Corresponds to `mdb_stat`.
    func stat(of db: Database) throws(LMDBError) -> Environment.Statistics {
        var stat = MDB_stat()
        try check(mdb_stat(handle, db.dbi, &stat))
        return Environment.Statistics(stat)
    }

    /// Corresponds to `mdb_get`; `MDB_NOTFOUND` becomes `nil`.
    func get(_ key: some Collection<UInt8>, in db: Database) throws(LMDBError) -> [UInt8]? {
        try withMDBVal(key) { (key: inout MDB_val) throws(LMDBError) -> [UInt8]? in
            var value = MDB_val()
            let rc = mdb_get(handle, db.dbi, &key, &value)
            if rc == MDB_NOTFOUND { return nil }
            try check(rc)
            // `value` points into the map; copy it now.
            return value.copiedBytes
        }
    }

    /// Corresponds to `mdb_put`.
    func put(
        _ value: some Collection<UInt8>,
        forKey key: some Collection<UInt8>,
        in db: Database,
        flags: PutFlags
    ) throws(LMDBError) {
        try withMDBVal(key) { (key: inout MDB_val) throws(LMDBError) in
            try withMDBVal(value) { (value: inout MDB_val) throws(LMDBError) in
                try check(mdb_put(handle, db.dbi, &key, &value, flags.rawValue))
            }
        }
    }

    /// Corresponds to `mdb_del`; `MDB_NOTFOUND` becomes `false`.
    func delete(key: some Collection<UInt8>, value: (some Collection<UInt8>)?, in db: Database) throws(LMDBError) -> Bool {
        try withMDBVal(key) { (key: inout MDB_val) throws(LMDBError) -> Bool in
            let rc: Int32
            if let value {
                rc = try withMDBVal(value) { (value: inout MDB_val) throws(LMDBError) -> Int32 in
                    mdb_del(handle, db.dbi, &key, &value)
                }
            } else {
                rc = mdb_del(handle, db.dbi, &key, nil)
            }
            if rc == MDB_NOTFOUND { return false }
            try check(rc)
            return true
        }
    }

    /// Corresponds to `mdb_drop`.
    func drop(_ db: Database, delete: Bool) throws(LMDBError) {
        try check(mdb_drop(handle, db.dbi, delete ? 1 : 0))
    }
}
