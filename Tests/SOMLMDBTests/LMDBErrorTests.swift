import Foundation
import SOMLMDB
import SOMTestSupport
import Testing

@Suite("LMDBError: codes, names and the errors LMDB really returns", .timeLimit(.minutes(2)))
struct LMDBErrorTests {
    /// The values from lmdb.h 0.9.x, written out by hand so the test does not depend on the C import.
    static let lmdbCodes: [(name: String, constant: String, code: Int32)] = [
        (name: "keyExist", constant: "MDB_KEYEXIST", code: -30799),
        (name: "notFound", constant: "MDB_NOTFOUND", code: -30798),
        (name: "pageNotFound", constant: "MDB_PAGE_NOTFOUND", code: -30797),
        (name: "corrupted", constant: "MDB_CORRUPTED", code: -30796),
        (name: "panic", constant: "MDB_PANIC", code: -30795),
        (name: "versionMismatch", constant: "MDB_VERSION_MISMATCH", code: -30794),
        (name: "invalid", constant: "MDB_INVALID", code: -30793),
        (name: "mapFull", constant: "MDB_MAP_FULL", code: -30792),
        (name: "dbsFull", constant: "MDB_DBS_FULL", code: -30791),
        (name: "readersFull", constant: "MDB_READERS_FULL", code: -30790),
        (name: "tlsFull", constant: "MDB_TLS_FULL", code: -30789),
        (name: "txnFull", constant: "MDB_TXN_FULL", code: -30788),
        (name: "cursorFull", constant: "MDB_CURSOR_FULL", code: -30787),
        (name: "pageFull", constant: "MDB_PAGE_FULL", code: -30786),
        (name: "mapResized", constant: "MDB_MAP_RESIZED", code: -30785),
        (name: "incompatible", constant: "MDB_INCOMPATIBLE", code: -30784),
        (name: "badRSlot", constant: "MDB_BAD_RSLOT", code: -30783),
        (name: "badTxn", constant: "MDB_BAD_TXN", code: -30782),
        (name: "badValSize", constant: "MDB_BAD_VALSIZE", code: -30781),
        (name: "badDBI", constant: "MDB_BAD_DBI", code: -30780),
    ]

    /// errno values come from the platform (Foundation re-exports them), not from lmdb.h.
    static let errnoCodes: [(name: String, constant: String, code: Int32)] = [
        (name: "permissionDenied", constant: "EACCES", code: EACCES),
        (name: "busy", constant: "EAGAIN", code: EAGAIN),
        (name: "noSuchFile", constant: "ENOENT", code: ENOENT),
        (name: "noSpace", constant: "ENOSPC", code: ENOSPC),
        (name: "invalidArgument", constant: "EINVAL", code: EINVAL),
        (name: "outOfMemory", constant: "ENOMEM", code: ENOMEM),
        (name: "ioError", constant: "EIO", code: EIO),
        (name: "notDirectory", constant: "ENOTDIR", code: ENOTDIR),
        (name: "fileExists", constant: "EEXIST", code: EEXIST),
        (name: "readOnlyFileSystem", constant: "EROFS", code: EROFS),
    ]

    @Test("every named member has the C constant's code and name")
    func namedMembersMatchTheHeader() {
        let expected = Self.lmdbCodes + Self.errnoCodes
        let named = LMDBError.allNamed
        #expect(named.map(\.name) == expected.map(\.name))
        for (entry, want) in zip(named, expected) {
            #expect(entry.constantName == want.constant, "\(want.name)")
            #expect(entry.error.code == want.code, "\(want.name)")
            #expect(entry.error.constantName == want.constant, "\(want.name)")
        }
        // Spot-check the static members themselves, not just the table.
        #expect(LMDBError.mapFull.code == -30792)
        #expect(LMDBError.notFound.code == -30798)
        #expect(LMDBError.badValSize.code == -30781)
        #expect(LMDBError.permissionDenied.code == EACCES)
        #expect(LMDBError.busy.code == EAGAIN)
        #expect(LMDBError.noSpace.code == ENOSPC)
        #expect(Set(named.map(\.error.code)).count == named.count, "codes are distinct")
    }

    @Test("description starts with the C constant's name")
    func descriptionsNameTheConstant() {
        for entry in LMDBError.allNamed {
            #expect(entry.error.description.hasPrefix(entry.constantName + ":"), "\(entry.error.description)")
        }
        #expect(LMDBError.mapFull.description == "MDB_MAP_FULL: Environment mapsize limit reached")
        #expect(LMDBError.noSpace.description.hasPrefix("ENOSPC: "))
        #expect(LMDBError(code: 12345).constantName == nil)
        #expect(LMDBError(code: 12345).description.hasPrefix("errno 12345: "))
    }

    @Test("MDB_KEYEXIST from put with noOverwrite")
    func keyExist() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            try env.write { txn throws in try txn.put(b("1"), forKey: b("k"), in: db) }
            #expect(throws: LMDBError.keyExist) {
                try env.write { txn throws in try txn.put(b("2"), forKey: b("k"), in: db, flags: .noOverwrite) }
            }
            try env.read { txn throws in #expect(try txn.get(b("k"), in: db) == b("1")) }
        }
    }

    @Test("MDB_BAD_VALSIZE for an empty key and for a key over the size limit")
    func badValSize() async throws {
        try await withEnvironment { env, _ in
            let db = try env.openDatabase(name: "t", flags: .create)
            let limit = try env.maxKeySize
            #expect(limit == 511)
            #expect(throws: LMDBError.badValSize) {
                try env.write { txn throws in try txn.put(b("v"), forKey: [], in: db) }
            }
            #expect(throws: LMDBError.badValSize) {
                try env.read { txn throws in _ = try txn.get([UInt8](), in: db) }
            }
            #expect(throws: LMDBError.badValSize) {
                try env.write { txn throws in try txn.put(b("v"), forKey: [UInt8](repeating: 7, count: limit + 1), in: db) }
            }
            // The limit itself is fine.
            try env.write { txn throws in try txn.put(b("v"), forKey: [UInt8](repeating: 7, count: limit), in: db) }
        }
    }

    @Test("MDB_DBS_FULL when opening more named databases than maxDatabases")
    func dbsFull() async throws {
        try await withEnvironment(Environment.Options(maxDatabases: 2)) { env, _ in
            _ = try env.openDatabase(name: "a", flags: .create)
            _ = try env.openDatabase(name: "b", flags: .create)
            #expect(throws: LMDBError.dbsFull) {
                _ = try env.openDatabase(name: "c", flags: .create)
            }
        }
    }

    @Test("MDB_NOTFOUND when opening a missing database without .create")
    func notFound() async throws {
        try await withEnvironment { env, _ in
            #expect(throws: LMDBError.notFound) {
                _ = try env.openDatabase(name: "missing")
            }
        }
    }

    @Test("MDB_INCOMPATIBLE when a database name is a plain key of the main database")
    func incompatible() async throws {
        try await withEnvironment { env, _ in
            let main = try env.openDatabase(name: nil)
            try env.write { txn throws in try txn.put(b("x"), forKey: b("plain"), in: main) }
            #expect(throws: LMDBError.incompatible) {
                _ = try env.openDatabase(name: "plain", flags: .create)
            }
        }
    }

    @Test("MDB_READERS_FULL when more read transactions are live than maxReaders")
    func readersFull() async throws {
        try await withEnvironment(Environment.Options(maxReaders: 1)) { env, _ in
            _ = try env.read { _ in
                #expect(throws: LMDBError.readersFull) {
                    try env.read { _ in }
                }
            }
            try env.read { _ in }  // the slot is free again
        }
    }

    @Test("EACCES for a write transaction on a read-only environment")
    func readOnlyWrite() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appending("env")
            do {
                let env = try Environment(path: path)
                let db = try env.openDatabase(name: "t", flags: .create)
                try env.write { txn throws in try txn.put(b("v"), forKey: b("k"), in: db) }
                env.close()
            }
            let env = try Environment(path: path, options: Environment.Options(flags: .readOnly))
            defer { env.close() }
            let db = try env.openDatabase(name: "t")
            try env.read { txn throws in #expect(try txn.get(b("k"), in: db) == b("v")) }
            #expect(throws: LMDBError.permissionDenied) {
                try env.write { txn throws in try txn.put(b("w"), forKey: b("k"), in: db) }
            }
            #expect(throws: LMDBError.permissionDenied) {
                _ = try env.openDatabase(name: "new", flags: .create)
            }
        }
    }

    @Test("ENOTDIR when the path is a regular file")
    func notDirectory() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir.appending("file")
            #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
            #expect(throws: LMDBError.notDirectory) {
                _ = try Environment(path: file)
            }
            #expect(throws: LMDBError.notDirectory) {
                _ = try Environment(path: file + "/below")
            }
        }
    }

    @Test("ENOENT for a read-only environment that does not exist")
    func noSuchFile() async throws {
        try await withTemporaryDirectory { dir in
            #expect(throws: LMDBError.noSuchFile) {
                _ = try Environment(path: dir.appending("missing"), options: Environment.Options(flags: .readOnly))
            }
            #expect(!FileManager.default.fileExists(atPath: dir.appending("missing")), "read-only open creates nothing")
        }
    }

    @Test("MDB_INVALID for a data file that is not an LMDB file")
    func invalidFile() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appending("env")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let junk = Data((0..<16384).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            #expect(FileManager.default.createFile(atPath: path + "/data.mdb", contents: junk))
            #expect(throws: LMDBError.invalid) {
                _ = try Environment(path: path)
            }
        }
    }

    @Test("EINVAL for invalid options and for any use after close")
    func invalidArgument() async throws {
        try await withTemporaryDirectory { dir in
            #expect(throws: LMDBError.invalidArgument) {
                _ = try Environment(path: dir.appending("a"), options: Environment.Options(maxDatabases: -1))
            }
            let env = try Environment(path: dir.appending("b"))
            let db = try env.openDatabase(name: nil)
            env.close()
            env.close()  // idempotent
            #expect(env.isClosed)
            #expect(throws: LMDBError.invalidArgument) { try env.read { txn throws in _ = try txn.get(b("k"), in: db) } }
            #expect(throws: LMDBError.invalidArgument) { try env.write { _ in } }
            #expect(throws: LMDBError.invalidArgument) { _ = try env.info }
            #expect(throws: LMDBError.invalidArgument) { try env.sync() }
        }
    }
}
