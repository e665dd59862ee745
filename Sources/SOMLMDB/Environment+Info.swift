internal import CLMDB

extension Environment {
    /// Facts about the environment as a whole. Corresponds to `MDB_envinfo`.
    public struct Info: Sendable, Hashable {
        /// Size of the memory map in bytes (the current maximum size of the data file).
        /// Corresponds to `me_mapsize`.
        public var mapSize: Int
        /// Number of the last used page. Corresponds to `me_last_pgno`.
        public var lastPageNumber: Int
        /// ID of the last committed transaction. Corresponds to `me_last_txnid`.
        public var lastTransactionID: Int
        /// Number of reader slots. Corresponds to `me_maxreaders`.
        public var maxReaders: Int
        /// Number of reader slots used so far. Corresponds to `me_numreaders`.
        public var readersUsed: Int
    }

    /// B-tree statistics of one database. Corresponds to `MDB_stat`.
    public struct Statistics: Sendable, Hashable {
        /// Size of a page in bytes. Corresponds to `ms_psize`.
        public var pageSize: Int
        /// Height of the B-tree. Corresponds to `ms_depth`.
        public var depth: Int
        /// Internal (non-leaf) pages. Corresponds to `ms_branch_pages`.
        public var branchPages: Int
        /// Leaf pages. Corresponds to `ms_leaf_pages`.
        public var leafPages: Int
        /// Overflow pages (values too large for a leaf). Corresponds to `ms_overflow_pages`.
        public var overflowPages: Int
        /// Number of key/value items. Corresponds to `ms_entries`.
        public var entries: Int

        init(_ stat: MDB_stat) {
            pageSize = Int(stat.ms_psize)
            depth = Int(stat.ms_depth)
            branchPages = stat.ms_branch_pages
            leafPages = stat.ms_leaf_pages
            overflowPages = stat.ms_overflow_pages
            entries = stat.ms_entries
        }
    }

    /// Map size, last page, last transaction and reader slots.
    ///
    /// Corresponds to `mdb_env_info`.
    /// - Throws: ``LMDBError/invalidArgument`` after ``close()``.
    public var info: Info {
        get throws(LMDBError) {
            try withHandle { env throws(LMDBError) in try Self.info(env) }
        }
    }

    /// Statistics of the main (unnamed) database, which also lists the named databases.
    ///
    /// Corresponds to `mdb_env_stat`. For a named database use ``ReadTransaction/stat(of:)``.
    public var stat: Statistics {
        get throws(LMDBError) {
            try withHandle { env throws(LMDBError) in
                var stat = MDB_stat()
                try check(mdb_env_stat(env, &stat))
                return Statistics(stat)
            }
        }
    }

    /// The flags the environment is open with, including ``Flags/noTLS``.
    ///
    /// Corresponds to `mdb_env_get_flags`.
    public var flags: Flags {
        get throws(LMDBError) {
            try withHandle { env throws(LMDBError) in
                var raw: UInt32 = 0
                try check(mdb_env_get_flags(env, &raw))
                return Flags(rawValue: raw)
            }
        }
    }

    /// The largest key (and, in `dupSort` databases, value) in bytes; 511 in a default build.
    ///
    /// Corresponds to `mdb_env_get_maxkeysize`.
    public var maxKeySize: Int {
        get throws(LMDBError) {
            try withHandle { env throws(LMDBError) in Int(mdb_env_get_maxkeysize(env)) }
        }
    }

    /// Flushes data buffers to disk. Needed only with ``Flags/noSync``, ``Flags/noMetaSync`` or
    /// ``Flags/mapAsync``; otherwise every commit already syncs.
    ///
    /// Corresponds to `mdb_env_sync`.
    /// - Parameter force: sync even if the environment was opened with `noSync`/`mapAsync`
    ///   (synchronously in the latter case).
    /// - Throws: ``LMDBError``: `EACCES` for a read-only environment, `EINVAL`, `EIO`.
    public func sync(force: Bool = true) throws(LMDBError) {
        try withHandle { env throws(LMDBError) in
            try check(mdb_env_sync(env, force ? 1 : 0))
        }
    }

    /// Writes a consistent copy of the environment into `directory` (created if missing; it must not
    /// already contain a `data.mdb`). Runs a read transaction for the duration, so writers continue.
    ///
    /// Corresponds to `mdb_env_copy2`.
    /// - Parameters:
    ///   - directory: the destination directory.
    ///   - compact: omit free pages and renumber the rest (`MDB_CP_COMPACT`); slower, smaller.
    /// - Throws: ``LMDBError``, e.g. ``LMDBError/fileExists`` when the destination has a data file.
    public func copy(to directory: String, compact: Bool = false) throws(LMDBError) {
        try Self.makeDirectories(directory, mode: Self.directoryMode(for: options.fileMode))
        try withHandle { env throws(LMDBError) in
            try check(mdb_env_copy2(env, directory, compact ? UInt32(MDB_CP_COMPACT) : 0))
        }
    }

    /// `mdb_env_info`, for callers that already hold the gate.
    static func info(_ env: OpaquePointer) throws(LMDBError) -> Info {
        var info = MDB_envinfo()
        try check(mdb_env_info(env, &info))
        return Info(
            mapSize: info.me_mapsize,
            lastPageNumber: info.me_last_pgno,
            lastTransactionID: info.me_last_txnid,
            maxReaders: Int(info.me_maxreaders),
            readersUsed: Int(info.me_numreaders)
        )
    }
}
