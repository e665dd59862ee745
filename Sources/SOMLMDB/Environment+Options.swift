internal import CLMDB

extension Environment {
    /// How to open an ``Environment``: sizes and `mdb_env_open` flags.
    ///
    /// The defaults suit a small server store: a 64 MiB initial map that ``Environment/write(_:)``
    /// doubles on demand, 16 named databases and 126 reader slots.
    public struct Options: Sendable, Hashable {
        /// Initial size of the memory map in bytes; should be a multiple of the OS page size.
        /// Corresponds to `mdb_env_set_mapsize` before `mdb_env_open`.
        public var mapSize: Int
        /// The largest map ``Environment/write(_:)`` may grow to, or `nil` for no limit but the address space.
        /// Once reached, `write` throws ``LMDBError/mapFull``.
        public var maxMapSize: Int?
        /// How many named databases may be opened. Corresponds to `mdb_env_set_maxdbs`.
        public var maxDatabases: Int
        /// How many read transactions may be open at once across all processes.
        /// Corresponds to `mdb_env_set_maxreaders`.
        public var maxReaders: Int
        /// Flags for `mdb_env_open`. `MDB_NOTLS` is always added.
        public var flags: Flags
        /// Unix permissions for newly created data and lock files (and the directory). Corresponds to
        /// the `mode` argument of `mdb_env_open`.
        public var fileMode: UInt32

        /// Creates options; every parameter has a default.
        public init(
            mapSize: Int = 64 << 20,
            maxMapSize: Int? = nil,
            maxDatabases: Int = 16,
            maxReaders: Int = 126,
            flags: Flags = [],
            fileMode: UInt32 = 0o644
        ) {
            self.mapSize = mapSize
            self.maxMapSize = maxMapSize
            self.maxDatabases = maxDatabases
            self.maxReaders = maxReaders
            self.flags = flags
            self.fileMode = fileMode
        }
    }

    /// Environment flags for `mdb_env_open`. The raw values are the C constants from `lmdb.h`.
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The `MDB_*` bit mask.
        public let rawValue: UInt32

        /// Wraps a raw `MDB_*` bit mask.
        public init(rawValue: UInt32) {
            self.rawValue = rawValue
        }

        /// `path` is the data file itself, not a directory; the lock file is `path-lock`.
        /// Corresponds to `MDB_NOSUBDIR`.
        public static let noSubdir = Flags(rawValue: UInt32(MDB_NOSUBDIR))
        /// Don't fsync after commit: a crash may lose the last transactions (but not corrupt the file
        /// unless `writeMap` is also set). Corresponds to `MDB_NOSYNC`.
        public static let noSync = Flags(rawValue: UInt32(MDB_NOSYNC))
        /// Open read-only: every write transaction fails with ``LMDBError/permissionDenied``.
        /// Corresponds to `MDB_RDONLY`.
        public static let readOnly = Flags(rawValue: UInt32(MDB_RDONLY))
        /// Fsync data but not the meta page after commit. Corresponds to `MDB_NOMETASYNC`.
        public static let noMetaSync = Flags(rawValue: UInt32(MDB_NOMETASYNC))
        /// Use a writable memory map. Corresponds to `MDB_WRITEMAP`.
        public static let writeMap = Flags(rawValue: UInt32(MDB_WRITEMAP))
        /// With `writeMap`, flush asynchronously. Corresponds to `MDB_MAPASYNC`.
        public static let mapAsync = Flags(rawValue: UInt32(MDB_MAPASYNC))
        /// Read transactions are not tied to a thread. Always set by ``Environment``.
        /// Corresponds to `MDB_NOTLS`.
        public static let noTLS = Flags(rawValue: UInt32(MDB_NOTLS))
        /// Turn off OS read-ahead. Corresponds to `MDB_NORDAHEAD`.
        public static let noReadahead = Flags(rawValue: UInt32(MDB_NORDAHEAD))
        /// Don't zero malloc'd pages before writing them. Corresponds to `MDB_NOMEMINIT`.
        public static let noMemInit = Flags(rawValue: UInt32(MDB_NOMEMINIT))
    }
}
