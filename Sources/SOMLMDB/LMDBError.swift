internal import CLMDB

#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// A non-zero return code from an LMDB C function: either one of LMDB's own `MDB_*` codes
/// (all negative) or a system `errno` value (positive).
///
/// Like Swift System's `Errno`, this is an open struct rather than an enum: LMDB passes through
/// whatever `errno` the OS reports, so the set of codes is not closed. The well-known ones have
/// named static members (`LMDBError.mapFull`), and errors compare by ``code``.
public struct LMDBError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw C return code (`MDB_*` constant or `errno`).
    public let code: Int32

    /// Wraps a raw C return code.
    public init(code: Int32) {
        self.code = code
    }

    /// The name of the C constant, e.g. `"MDB_MAP_FULL"` or `"ENOSPC"`, when the code is one of the named members.
    public var constantName: String? {
        Self.allNamed.first { $0.error == self }?.constantName
    }

    /// A message that starts with the C constant's name, e.g.
    /// `"MDB_MAP_FULL: Environment mapsize limit reached"` or `"ENOSPC: No space left on device"`.
    ///
    /// Corresponds to `mdb_strerror`, which already names the constant for LMDB's own codes and
    /// falls back to `strerror` for `errno` values; for those we prefix the constant's name ourselves.
    public var description: String {
        // mdb_strerror returns a pointer to a static string (or strerror's buffer); copy it at once.
        let message = String(cString: mdb_strerror(code))
        if code < 0 || message.hasPrefix("MDB_") {
            return message
        }
        return "\(constantName ?? "errno \(code)"): \(message)"
    }
}

extension LMDBError {
    /// Lets `catch LMDBError.mapFull { … }` and `case LMDBError.notFound` match any error with this code.
    public static func ~= (match: LMDBError, error: any Error) -> Bool {
        (error as? LMDBError) == match
    }
}

// MARK: - LMDB's own codes

extension LMDBError {
    /// Key/data pair already exists (e.g. `put` with `.noOverwrite`). Corresponds to `MDB_KEYEXIST`.
    public static let keyExist = LMDBError(code: MDB_KEYEXIST)
    /// Key/data pair not found (EOF). Corresponds to `MDB_NOTFOUND`.
    public static let notFound = LMDBError(code: MDB_NOTFOUND)
    /// Requested page not found; usually means corruption. Corresponds to `MDB_PAGE_NOTFOUND`.
    public static let pageNotFound = LMDBError(code: MDB_PAGE_NOTFOUND)
    /// Located page was the wrong type. Corresponds to `MDB_CORRUPTED`.
    public static let corrupted = LMDBError(code: MDB_CORRUPTED)
    /// Update of the meta page failed or the environment had a fatal error. Corresponds to `MDB_PANIC`.
    public static let panic = LMDBError(code: MDB_PANIC)
    /// Environment version mismatch. Corresponds to `MDB_VERSION_MISMATCH`.
    public static let versionMismatch = LMDBError(code: MDB_VERSION_MISMATCH)
    /// The file is not a valid LMDB file. Corresponds to `MDB_INVALID`.
    public static let invalid = LMDBError(code: MDB_INVALID)
    /// The map size limit was reached (and, in ``Environment/write(_:)``, could not grow further).
    /// Corresponds to `MDB_MAP_FULL`.
    public static let mapFull = LMDBError(code: MDB_MAP_FULL)
    /// More named databases than `maxDatabases`. Corresponds to `MDB_DBS_FULL`.
    public static let dbsFull = LMDBError(code: MDB_DBS_FULL)
    /// All reader slots (`maxReaders`) are in use. Corresponds to `MDB_READERS_FULL`.
    public static let readersFull = LMDBError(code: MDB_READERS_FULL)
    /// Too many TLS keys in use (Windows only). Corresponds to `MDB_TLS_FULL`.
    public static let tlsFull = LMDBError(code: MDB_TLS_FULL)
    /// The transaction has too many dirty pages. Corresponds to `MDB_TXN_FULL`.
    public static let txnFull = LMDBError(code: MDB_TXN_FULL)
    /// Cursor stack too deep (internal error). Corresponds to `MDB_CURSOR_FULL`.
    public static let cursorFull = LMDBError(code: MDB_CURSOR_FULL)
    /// Page has not enough space (internal error). Corresponds to `MDB_PAGE_FULL`.
    public static let pageFull = LMDBError(code: MDB_PAGE_FULL)
    /// Another process grew the map beyond this one's size. Corresponds to `MDB_MAP_RESIZED`.
    public static let mapResized = LMDBError(code: MDB_MAP_RESIZED)
    /// Operation and database are incompatible, or the database type changed. Corresponds to `MDB_INCOMPATIBLE`.
    public static let incompatible = LMDBError(code: MDB_INCOMPATIBLE)
    /// Invalid reuse of a reader lock-table slot. Corresponds to `MDB_BAD_RSLOT`.
    public static let badRSlot = LMDBError(code: MDB_BAD_RSLOT)
    /// The transaction must abort, has a child, or is invalid. Corresponds to `MDB_BAD_TXN`.
    public static let badTxn = LMDBError(code: MDB_BAD_TXN)
    /// Unsupported size of key, database name or data (e.g. an empty key or one over 511 bytes).
    /// Corresponds to `MDB_BAD_VALSIZE`.
    public static let badValSize = LMDBError(code: MDB_BAD_VALSIZE)
    /// The database handle was changed unexpectedly. Corresponds to `MDB_BAD_DBI`.
    public static let badDBI = LMDBError(code: MDB_BAD_DBI)
}

// MARK: - errno values LMDB passes through

extension LMDBError {
    /// Permission denied, e.g. a write transaction on a read-only environment. Corresponds to `EACCES`.
    public static let permissionDenied = LMDBError(code: EACCES)
    /// The environment is locked by another process, or a resource is temporarily unavailable.
    /// Corresponds to `EAGAIN`.
    public static let busy = LMDBError(code: EAGAIN)
    /// No such file or directory. Corresponds to `ENOENT`.
    public static let noSuchFile = LMDBError(code: ENOENT)
    /// No space left on the device. Corresponds to `ENOSPC`.
    public static let noSpace = LMDBError(code: ENOSPC)
    /// An invalid argument, e.g. using a closed ``Environment``. Corresponds to `EINVAL`.
    public static let invalidArgument = LMDBError(code: EINVAL)
    /// Out of memory or address space, e.g. a map too large to `mmap`. Corresponds to `ENOMEM`.
    public static let outOfMemory = LMDBError(code: ENOMEM)
    /// A low-level I/O error. Corresponds to `EIO`.
    public static let ioError = LMDBError(code: EIO)
    /// A path component is not a directory. Corresponds to `ENOTDIR`.
    public static let notDirectory = LMDBError(code: ENOTDIR)
    /// The file exists, e.g. the destination of a copy. Corresponds to `EEXIST`.
    public static let fileExists = LMDBError(code: EEXIST)
    /// A read-only file system. Corresponds to `EROFS`.
    public static let readOnlyFileSystem = LMDBError(code: EROFS)
}

// MARK: - The table of names

extension LMDBError {
    /// Every named member with the name of its Swift member and of its C constant, in `lmdb.h` order
    /// followed by the `errno` values. Lets tests check the mapping without importing C.
    public static let allNamed: [(name: String, constantName: String, error: LMDBError)] = [
        ("keyExist", "MDB_KEYEXIST", .keyExist),
        ("notFound", "MDB_NOTFOUND", .notFound),
        ("pageNotFound", "MDB_PAGE_NOTFOUND", .pageNotFound),
        ("corrupted", "MDB_CORRUPTED", .corrupted),
        ("panic", "MDB_PANIC", .panic),
        ("versionMismatch", "MDB_VERSION_MISMATCH", .versionMismatch),
        ("invalid", "MDB_INVALID", .invalid),
        ("mapFull", "MDB_MAP_FULL", .mapFull),
        ("dbsFull", "MDB_DBS_FULL", .dbsFull),
        ("readersFull", "MDB_READERS_FULL", .readersFull),
        ("tlsFull", "MDB_TLS_FULL", .tlsFull),
        ("txnFull", "MDB_TXN_FULL", .txnFull),
        ("cursorFull", "MDB_CURSOR_FULL", .cursorFull),
        ("pageFull", "MDB_PAGE_FULL", .pageFull),
        ("mapResized", "MDB_MAP_RESIZED", .mapResized),
        ("incompatible", "MDB_INCOMPATIBLE", .incompatible),
        ("badRSlot", "MDB_BAD_RSLOT", .badRSlot),
        ("badTxn", "MDB_BAD_TXN", .badTxn),
        ("badValSize", "MDB_BAD_VALSIZE", .badValSize),
        ("badDBI", "MDB_BAD_DBI", .badDBI),
        ("permissionDenied", "EACCES", .permissionDenied),
        ("busy", "EAGAIN", .busy),
        ("noSuchFile", "ENOENT", .noSuchFile),
        ("noSpace", "ENOSPC", .noSpace),
        ("invalidArgument", "EINVAL", .invalidArgument),
        ("outOfMemory", "ENOMEM", .outOfMemory),
        ("ioError", "EIO", .ioError),
        ("notDirectory", "ENOTDIR", .notDirectory),
        ("fileExists", "EEXIST", .fileExists),
        ("readOnlyFileSystem", "EROFS", .readOnlyFileSystem),
    ]
}

// MARK: - The one funnel for C return codes

/// Turns an LMDB C return code into a Swift error; every C call in this module goes through here.
///
/// `0` (`MDB_SUCCESS`) returns normally; anything else throws ``LMDBError`` with that code. The errors
/// lmdb.h lists per function and that callers here care about:
/// - `mdb_env_open`: `MDB_VERSION_MISMATCH`, `MDB_INVALID`, `ENOENT`, `EACCES`, `EAGAIN`.
/// - `mdb_txn_begin`: `MDB_PANIC`, `MDB_MAP_RESIZED`, `MDB_READERS_FULL`, `ENOMEM` (and `EACCES`
///   for a write transaction on a read-only environment).
/// - `mdb_txn_commit`: `EINVAL`, `ENOSPC`, `EIO`, `ENOMEM` (and `MDB_MAP_FULL` when the free list needs pages).
/// - `mdb_dbi_open`: `MDB_NOTFOUND` (no such database and no `MDB_CREATE`), `MDB_DBS_FULL`.
/// - `mdb_get`, `mdb_del`, `mdb_cursor_get`: `MDB_NOTFOUND`, `EINVAL`.
/// - `mdb_put`: `MDB_MAP_FULL`, `MDB_TXN_FULL`, `MDB_KEYEXIST`, `EACCES`, `EINVAL`.
/// - `mdb_env_set_mapsize`: `EINVAL` (e.g. an active write transaction).
@inline(__always)
func check(_ rc: Int32) throws(LMDBError) {
    if rc != MDB_SUCCESS {
        throw LMDBError(code: rc)
    }
}
