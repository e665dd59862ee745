internal import CLMDB

/// Namespace and overview for SOMLMDB, the only Swift module that talks to LMDB's C API.
///
/// The pieces, one file each:
/// - ``Environment``: one memory-mapped database file (`MDB_env`), opened with `MDB_NOTLS`.
/// - ``Environment/read(_:)`` and ``Environment/write(_:)``: synchronous transaction closures
///   (`MDB_txn`). `write` commits on return, aborts on throw, and grows the map on `MDB_MAP_FULL`.
/// - ``ReadTransaction`` / ``WriteTransaction``: `~Copyable` handles lent to those closures.
/// - ``Database``: a named key/value table inside the environment (`MDB_dbi`).
/// - ``KeyRange`` and `scan`: cursor range scans (`MDB_cursor`).
/// - ``LMDBError``: every non-zero C return code, with a name.
/// - `bigEndianBytes`: fixed-order integer keys so that byte order equals numeric order.
///
/// No C type appears in any public signature, and every byte that crosses the API is copied into a
/// Swift array before the transaction that produced it ends.
public enum LMDB {
    /// The version of the linked liblmdb, e.g. `0.9.24`.
    ///
    /// Corresponds to `mdb_version`.
    public static var version: Version {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        // mdb_version returns a pointer to a static string; we ignore it and only read the ints.
        _ = mdb_version(&major, &minor, &patch)
        return Version(major: Int(major), minor: Int(minor), patch: Int(patch))
    }

    /// A liblmdb version triple.
    public struct Version: Sendable, Hashable, CustomStringConvertible {
        /// Corresponds to `MDB_VERSION_MAJOR`.
        public var major: Int
        /// Corresponds to `MDB_VERSION_MINOR`.
        public var minor: Int
        /// Corresponds to `MDB_VERSION_PATCH`.
        public var patch: Int

        /// `major.minor.patch`.
        public var description: String { "\(major).\(minor).\(patch)" }
    }
}
