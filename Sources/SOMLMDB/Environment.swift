internal import CLMDB

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// An open LMDB environment: one memory-mapped data file plus its lock file, holding any number of
/// named ``Database``s.
///
/// Corresponds to `MDB_env` (`mdb_env_create` + `mdb_env_open` in ``init(path:options:)``, `mdb_env_close`
/// in ``close()``). Use ``read(_:)`` and ``write(_:)`` to run transactions.
///
/// ## Thread safety
/// `Environment` is `@unchecked Sendable`; this is why that is sound. lmdb.h says the library "is fully
/// thread-aware and supports concurrent read/write access from multiple processes and threads", with
/// these rules, each of which this type enforces:
/// - "A thread can only use one transaction at a time, plus any child transactions. Each transaction
///   belongs to one thread. The `MDB_NOTLS` flag changes this for read-only transactions." We always
///   open with `MDB_NOTLS`, and transactions exist only inside synchronous ``read(_:)``/``write(_:)``
///   closures (they are `~Copyable` and cannot escape), so a transaction is used on the thread that
///   began it and never by two threads at once.
/// - `mdb_env_set_mapsize` "may be called at later times if no transactions are active in this process.
///   Note that the library does not check for this condition, the caller must ensure it explicitly."
///   Map growth and `mdb_env_close` take an internal readers-writer gate exclusively, while every
///   transaction holds it shared, so they never overlap a live transaction.
/// - "Do not have open an LMDB database twice in the same process at the same time." This is the
///   caller's job: open each path once per process and share the `Environment`.
/// - "Use an MDB_env* in the process which opened it, not after fork()."
///
/// Writers: LMDB serializes write transactions itself (a second `write` blocks until the first ends),
/// so calling ``write(_:)`` from several threads is safe; the intended design is one writer thread.
/// Never call `write` from inside a `read` or `write` closure on the same thread: LMDB's writer lock and
/// the growth gate are not reentrant and that would deadlock.
public final class Environment: @unchecked Sendable {
    /// The path the environment was opened at (a directory, or the data file with ``Flags/noSubdir``).
    public let path: String
    /// The options the environment was opened with.
    public let options: Options

    /// Keeps remaps and close away from live transactions; see ``TransactionGate``.
    let gate = TransactionGate()

    /// The `MDB_env*`, or `nil` once closed. Read only while holding `gate` shared, written only while
    /// holding it exclusively, which makes this mutable state safe to share across threads.
    private var handle: OpaquePointer?

    /// Opens (creating if needed) the environment at `path`.
    ///
    /// Corresponds to `mdb_env_create`, `mdb_env_set_mapsize`, `mdb_env_set_maxdbs`,
    /// `mdb_env_set_maxreaders` and `mdb_env_open` with `options.flags` plus `MDB_NOTLS`.
    /// Creates the directory (or, with ``Flags/noSubdir``, the parent directory) if it is missing,
    /// unless ``Flags/readOnly`` is set.
    /// - Parameters:
    ///   - path: a directory that holds `data.mdb` and `lock.mdb`, or the data file itself with `.noSubdir`.
    ///   - options: sizes and flags.
    /// - Throws: ``LMDBError``, e.g. ``LMDBError/notDirectory`` when `path` is a file,
    ///   ``LMDBError/noSuchFile`` for a missing read-only environment, ``LMDBError/invalid`` for a
    ///   file that is not an LMDB file, ``LMDBError/busy`` when another process holds the lock.
    public init(path: String, options: Options = Options()) throws(LMDBError) {
        self.path = path
        self.options = options
        self.handle = try Self.makeHandle(path: path, options: options)
    }

    deinit {
        close()
    }

    /// Closes the environment; safe to call more than once. Waits for transactions running on other
    /// threads to finish; afterwards every operation throws ``LMDBError/invalidArgument``.
    ///
    /// Corresponds to `mdb_env_close`. This is the environment handle's only release point once
    /// ``init(path:options:)`` has returned; it is also called from `deinit`.
    /// Never call it from inside a ``read(_:)`` or ``write(_:)`` closure (that would deadlock).
    public func close() {
        gate.withExclusive {
            guard let handle else { return }
            self.handle = nil
            mdb_env_close(handle)
        }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool {
        gate.withShared { handle == nil }
    }

    // MARK: - Internal access

    /// The open handle. Call only while holding `gate` (shared or exclusive).
    /// - Throws: ``LMDBError/invalidArgument`` after ``close()``.
    func openHandle() throws(LMDBError) -> OpaquePointer {
        guard let handle else { throw .invalidArgument }
        return handle
    }

    /// Runs `body` with the open handle while holding the gate shared.
    func withHandle<R>(_ body: (OpaquePointer) throws(LMDBError) -> R) throws(LMDBError) -> R {
        try gate.withShared { () throws(LMDBError) -> R in
            try body(try openHandle())
        }
    }

    // MARK: - Opening

    /// Creates and opens an `MDB_env`; on any failure closes it exactly once before throwing, so the
    /// handle never reaches `self` (and `deinit`) unless it is fully open.
    private static func makeHandle(path: String, options: Options) throws(LMDBError) -> OpaquePointer {
        guard
            options.mapSize > 0,
            let maxDatabases = UInt32(exactly: options.maxDatabases),
            let maxReaders = UInt32(exactly: options.maxReaders), maxReaders > 0
        else {
            throw .invalidArgument
        }
        if !options.flags.contains(.readOnly) {
            let directory = options.flags.contains(.noSubdir) ? parentDirectory(of: path) : path
            try makeDirectories(directory, mode: directoryMode(for: options.fileMode))
        }

        var created: OpaquePointer?
        try check(mdb_env_create(&created))
        guard let env = created else { throw .outOfMemory }
        do {
            try check(mdb_env_set_mapsize(env, options.mapSize))
            try check(mdb_env_set_maxdbs(env, maxDatabases))
            try check(mdb_env_set_maxreaders(env, maxReaders))
            let flags = options.flags.union(.noTLS).rawValue
            try check(mdb_env_open(env, path, flags, mode_t(options.fileMode)))
        } catch {
            // lmdb.h: "If this function fails, mdb_env_close() must be called to discard the MDB_env
            // handle." This is that one call; `env` has not escaped, so nothing else will close it.
            mdb_env_close(env)
            throw error
        }
        return env
    }

    /// Adds search (x) bits wherever read bits are set: 0o644 becomes 0o755.
    static func directoryMode(for fileMode: UInt32) -> mode_t {
        mode_t(fileMode | ((fileMode & 0o444) >> 2))
    }

    /// `mkdir -p`: creates `path` and any missing parents. An existing entry is left alone; if it is a
    /// file, `mdb_env_open` reports ``LMDBError/notDirectory`` afterwards.
    static func makeDirectories(_ path: String, mode: mode_t) throws(LMDBError) {
        guard !path.isEmpty else { return }
        if mkdir(path, mode) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { try check(errno) ; return }
        let parent = parentDirectory(of: path)
        guard parent != path else { try check(ENOENT); return }
        try makeDirectories(parent, mode: mode)
        if mkdir(path, mode) == 0 || errno == EEXIST { return }
        try check(errno)
    }

    /// The directory part of `path` (`"a/b"` → `"a"`, `"/a"` → `"/"`, `"a"` → `"."`).
    private static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}
