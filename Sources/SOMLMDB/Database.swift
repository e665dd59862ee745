internal import CLMDB

/// A handle to one key/value database (B-tree) inside an ``Environment``.
///
/// Corresponds to `MDB_dbi`. Open it once, with ``Environment/openDatabase(name:flags:)`` (or
/// ``WriteTransaction/openDatabase(name:flags:)``), and use it in any later transaction of the same
/// environment from any thread. It is a plain number: using it with another environment is undefined
/// by LMDB, and it becomes invalid when its environment closes.
public struct Database: Sendable, Hashable {
    /// The `MDB_dbi` number.
    let dbi: MDB_dbi

    init(dbi: MDB_dbi) {
        self.dbi = dbi
    }

    /// Flags for `mdb_dbi_open`. The raw values are the C constants from `lmdb.h`; all but ``create``
    /// are stored with the database and must match on every later open.
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The `MDB_*` bit mask.
        public let rawValue: UInt32

        /// Wraps a raw `MDB_*` bit mask.
        public init(rawValue: UInt32) {
            self.rawValue = rawValue
        }

        /// Compare keys from their last byte backwards. Corresponds to `MDB_REVERSEKEY`.
        public static let reverseKey = Flags(rawValue: UInt32(MDB_REVERSEKEY))
        /// Allow several values per key, kept sorted; values are then limited to the key size limit.
        /// Corresponds to `MDB_DUPSORT`.
        public static let dupSort = Flags(rawValue: UInt32(MDB_DUPSORT))
        /// Keys are native-endian `UInt32` or `UInt` (all the same size), compared numerically.
        /// Corresponds to `MDB_INTEGERKEY`.
        public static let integerKey = Flags(rawValue: UInt32(MDB_INTEGERKEY))
        /// With `dupSort`, all values of a key have the same size. Corresponds to `MDB_DUPFIXED`.
        public static let dupFixed = Flags(rawValue: UInt32(MDB_DUPFIXED))
        /// With `dupSort`, values are native-endian integers like `integerKey`. Corresponds to `MDB_INTEGERDUP`.
        public static let integerDup = Flags(rawValue: UInt32(MDB_INTEGERDUP))
        /// With `dupSort`, compare values from their last byte backwards. Corresponds to `MDB_REVERSEDUP`.
        public static let reverseDup = Flags(rawValue: UInt32(MDB_REVERSEDUP))
        /// Create the database if it does not exist. Corresponds to `MDB_CREATE`.
        public static let create = Flags(rawValue: UInt32(MDB_CREATE))
    }
}

extension Environment {
    /// Opens a database by name (or the main database for `nil`) and returns a handle usable by every
    /// later transaction.
    ///
    /// Corresponds to `mdb_dbi_open` in its own write transaction (a read-only one, committed, for a
    /// ``Flags/readOnly`` environment). lmdb.h asks that no two transactions in a process open databases
    /// at the same time, so open them at startup, from one thread.
    /// - Parameters:
    ///   - name: the database name, or `nil` for the main database (whose keys are the names).
    ///   - flags: ``Database/Flags/create`` to create it, plus the stored flags such as ``Database/Flags/dupSort``.
    /// - Throws: ``LMDBError/notFound`` if it does not exist and `.create` is absent;
    ///   ``LMDBError/dbsFull`` past `maxDatabases`; ``LMDBError/incompatible`` if `name` is a plain key
    ///   of the main database or the flags conflict.
    public func openDatabase(name: String?, flags: Database.Flags = []) throws(LMDBError) -> Database {
        do {
            if options.flags.contains(.readOnly) {
                return try runRead(commit: true) { txn in try txn.raw.openDatabase(name: name, flags: flags) }
            }
            return try write { txn in try txn.openDatabase(name: name, flags: flags) }
        } catch let error as LMDBError {
            throw error
        } catch {
            // The bodies above throw only LMDBError.
            preconditionFailure("unexpected error \(error)")
        }
    }
}

extension WriteTransaction {
    /// Opens (or with ``Database/Flags/create`` creates) a database inside this transaction. The handle
    /// becomes usable by other transactions once this one commits; if it aborts, the handle is closed.
    ///
    /// Corresponds to `mdb_dbi_open`.
    /// - Throws: see ``Environment/openDatabase(name:flags:)``.
    public mutating func openDatabase(name: String?, flags: Database.Flags = []) throws(LMDBError) -> Database {
        let raw = self.raw
        return try recordingMapFull { () throws(LMDBError) in try raw.openDatabase(name: name, flags: flags) }
    }

    /// The flags `db` was created with. Corresponds to `mdb_dbi_flags`.
    public func flags(of db: Database) throws(LMDBError) -> Database.Flags {
        try raw.flags(of: db)
    }
}

extension ReadTransaction {
    /// The flags `db` was created with. Corresponds to `mdb_dbi_flags`.
    public func flags(of db: Database) throws(LMDBError) -> Database.Flags {
        try raw.flags(of: db)
    }
}
