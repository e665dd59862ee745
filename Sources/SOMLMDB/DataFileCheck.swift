#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Checks an LMDB data file's structure by reading it with `pread`, before liblmdb maps it.
///
/// liblmdb trusts the file: a page number beyond the end of a truncated file is a `SIGBUS` on first
/// touch, and a garbage page can send it anywhere. So before a writer opens a data file we read the
/// meta pages and the pages the trees hang from ourselves, with bounds checks, and refuse a damaged
/// file with a sentence instead of a signal. ``Depth/full`` walks every page of every tree
/// (`somd check`); ``Depth/roots`` reads the meta pages, the main tree and each named tree's root
/// (every start). The layout read here is liblmdb 0.9's on-disk format for 64-bit builds
/// (`MDB_meta`, `MDB_page`, `MDB_node` in mdb.c), which has been stable since 0.9.0.
public struct DataFileCheck: Sendable {
    /// How much of the file to read.
    public enum Depth: Sendable {
        /// Meta pages, the main tree, and the root page of every named database.
        case roots
        /// Every page reachable from the newest meta page.
        case full
    }

    /// What the check found.
    public enum Outcome: Sendable, Hashable {
        /// No data file, or an empty one: nothing was ever committed.
        case empty
        /// The structure checked is sound.
        case sound(Summary)
        /// The file is damaged; each entry says where and how.
        case damaged([String])
    }

    /// Facts read from a sound file.
    public struct Summary: Sendable, Hashable {
        /// Bytes per page.
        public var pageSize: Int
        /// The newest committed transaction.
        public var transactionID: UInt64
        /// The last page in use.
        public var lastPage: UInt64
        /// The file's size in bytes.
        public var fileSize: Int
        /// Pages visited by the walk.
        public var pagesVisited: Int
        /// The named databases found, by name, with their entry counts.
        public var databases: [String: UInt64]
    }

    /// The data file to check (`<dir>/data.mdb`).
    public let path: String

    /// A check of `<directory>/data.mdb`.
    public init(directory: String) {
        path = directory + "/data.mdb"
    }

    /// Reads the file; never maps it, never writes it.
    public func run(_ depth: Depth) -> Outcome {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return .empty }
            return .damaged(["cannot open \(path): \(String(cString: strerror(errno)))"])
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return .damaged(["cannot stat \(path)"]) }
        let size = Int(status.st_size)
        if size == 0 { return .empty }
        var walker = Walker(fd: fd, fileSize: size, depth: depth)
        return walker.check()
    }
}

/// The page walk behind ``DataFileCheck``.
private struct Walker {
    let fd: Int32
    let fileSize: Int
    let depth: DataFileCheck.Depth
    var pageSize = 0
    var lastPage: UInt64 = 0
    var problems: [String] = []
    var visited = 0
    var databases: [String: UInt64] = [:]

    // mdb.c constants.
    static let magic: UInt32 = 0xBEEF_C0DE
    static let headerSize = 16
    static let nodeHeaderSize = 8
    static let invalidPage = UInt64.max
    static let branch: UInt16 = 0x01, leaf: UInt16 = 0x02, overflow: UInt16 = 0x04, meta: UInt16 = 0x08
    static let leaf2: UInt16 = 0x20
    static let bigData: UInt16 = 0x01, subData: UInt16 = 0x02, dupData: UInt16 = 0x04
    /// `MDB_db`: pad 4, flags 2, depth 2, branch/leaf/overflow pages and entries 8 each, root 8.
    static let databaseRecordSize = 48

    init(fd: Int32, fileSize: Int, depth: DataFileCheck.Depth) {
        self.fd = fd
        self.fileSize = fileSize
        self.depth = depth
    }

    mutating func check() -> DataFileCheck.Outcome {
        // The page size is kept in the free database's pad field of meta page 0.
        guard let first = read(offset: 0, count: 256) else {
            return .damaged(["\(fileSize) bytes: too short for LMDB's meta pages"])
        }
        let size = Int(first.u32(Self.headerSize + 24))
        guard size >= 512, size <= 65_536, size & (size - 1) == 0 else {
            return .damaged(["meta page 0 is unreadable (page size \(size)): not an LMDB file, or its head is damaged"])
        }
        pageSize = size
        guard fileSize >= 2 * pageSize else {
            return .damaged(["the file has \(fileSize) bytes, fewer than its two meta pages need (\(2 * pageSize))"])
        }
        let metas = [meta(at: 0), meta(at: 1)].compactMap { $0 }
        guard let newest = metas.max(by: { $0.transactionID < $1.transactionID }) else {
            return .damaged(["neither meta page is valid"])
        }
        lastPage = newest.lastPage
        let needed = (Int(exactly: lastPage) ?? Int.max / 2).multipliedReportingOverflow(by: pageSize)
        if needed.overflow || needed.partialValue + pageSize > fileSize {
            return .damaged([
                "the file has \(fileSize) bytes but its meta page says pages up to \(lastPage) are in use "
                    + "(\(needed.overflow ? "an impossible size" : "\(needed.partialValue + pageSize) bytes")): it was truncated"
            ])
        }
        walk(root: newest.mainRoot, name: "main database", isMain: true)
        if depth == .full { walk(root: newest.freeRoot, name: "free-page list", isMain: false) }
        guard problems.isEmpty else { return .damaged(problems) }
        return .sound(.init(
            pageSize: pageSize, transactionID: newest.transactionID, lastPage: lastPage, fileSize: fileSize,
            pagesVisited: visited, databases: databases))
    }

    struct Meta {
        var transactionID: UInt64
        var lastPage: UInt64
        var mainRoot: UInt64
        var freeRoot: UInt64
    }

    func meta(at page: Int) -> Meta? {
        guard let bytes = read(offset: page * pageSize, count: 160) else { return nil }
        let body = Self.headerSize
        guard bytes.u16(10) & Self.meta != 0, bytes.u32(body) == Self.magic, bytes.u32(body + 4) == 1 else { return nil }
        // mm_dbs starts after magic, version, address and map size; MAIN_DBI is the second record.
        let main = body + 24 + Self.databaseRecordSize
        return Meta(
            transactionID: bytes.u64(body + 24 + 2 * Self.databaseRecordSize + 8),
            lastPage: bytes.u64(body + 24 + 2 * Self.databaseRecordSize),
            mainRoot: bytes.u64(main + 40),
            freeRoot: bytes.u64(body + 24 + 40))
    }

    /// Walks one tree: the main tree fully (it is small and names the others); other trees only at
    /// their root, unless the depth is `.full`.
    mutating func walk(root: UInt64, name: String, isMain: Bool) {
        guard root != Self.invalidPage else { return }
        var stack: [(page: UInt64, level: Int)] = [(root, 0)]
        while let (number, level) = stack.popLast() {
            guard problems.count < 20 else { return }
            guard let page = page(number, in: name) else { continue }
            let flags = page.u16(10)
            let isBranch = flags & Self.branch != 0
            guard isBranch || flags & Self.leaf != 0 else {
                problems.append("\(name): page \(number) is neither a branch nor a leaf (flags 0x\(String(flags, radix: 16)))")
                continue
            }
            guard level < 64 else {
                problems.append("\(name): the tree is deeper than 64 levels at page \(number) (a cycle)")
                return
            }
            let explore = isMain || depth == .full
            guard explore else { continue }
            if flags & Self.leaf2 != 0 { continue }
            let lower = Int(page.u16(12)), upper = Int(page.u16(14))
            let count = (lower - Self.headerSize) / 2
            for index in 0..<count {
                let offset = Int(page.u16(Self.headerSize + 2 * index))
                guard offset >= upper, offset + Self.nodeHeaderSize <= pageSize else {
                    problems.append("\(name): page \(number) has a node outside its data area")
                    break
                }
                let low = UInt64(page.u16(offset)), high = UInt64(page.u16(offset + 2))
                let nodeFlags = page.u16(offset + 4), keySize = Int(page.u16(offset + 6))
                if isBranch {
                    stack.append((low | high << 16 | UInt64(nodeFlags) << 32, level + 1))
                    continue
                }
                let dataSize = Int(low | high << 16)
                let dataStart = offset + Self.nodeHeaderSize + keySize
                if nodeFlags & Self.bigData != 0 {
                    guard dataStart + 8 <= pageSize else {
                        problems.append("\(name): page \(number) has a node running past the page end")
                        break
                    }
                    checkOverflow(page.u64(dataStart), bytes: dataSize, in: name)
                    continue
                }
                guard dataStart + dataSize <= pageSize else {
                    problems.append("\(name): page \(number) has a node running past the page end")
                    break
                }
                guard nodeFlags & Self.subData != 0, dataSize == Self.databaseRecordSize else { continue }
                let record = Array(page[dataStart..<dataStart + dataSize])
                let child = record.u64(40)
                if isMain {
                    let key = String(decoding: page[(offset + Self.nodeHeaderSize)..<(offset + Self.nodeHeaderSize + keySize)], as: UTF8.self)
                    databases[key] = record.u64(32)
                    walk(root: child, name: "database \"\(key)\"", isMain: false)
                } else if nodeFlags & Self.dupData != 0 {
                    walk(root: child, name: "\(name) (duplicates)", isMain: false)
                }
            }
        }
    }

    /// Reads page `number` and checks that it says it is that page.
    mutating func page(_ number: UInt64, in name: String) -> [UInt8]? {
        guard number >= 2, number <= lastPage else {
            problems.append("\(name): page number \(number) is outside the pages in use (2...\(lastPage))")
            return nil
        }
        guard let bytes = read(offset: Int(number) * pageSize, count: pageSize) else {
            problems.append("\(name): page \(number) cannot be read")
            return nil
        }
        visited += 1
        guard bytes.u64(0) == number else {
            problems.append("\(name): page \(number) holds page number \(bytes.u64(0)): the file is damaged there")
            return nil
        }
        let lower = Int(bytes.u16(12)), upper = Int(bytes.u16(14))
        if bytes.u16(10) & Self.overflow == 0,
           lower < Self.headerSize || lower > upper || upper > pageSize || (lower - Self.headerSize) % 2 != 0 {
            problems.append("\(name): page \(number) has impossible bounds (\(lower), \(upper))")
            return nil
        }
        return bytes
    }

    mutating func checkOverflow(_ number: UInt64, bytes: Int, in name: String) {
        guard let first = page(number, in: name) else { return }
        let pages = UInt64(first.u32(12))
        guard first.u16(10) & Self.overflow != 0, pages >= 1, number + pages - 1 <= lastPage,
              Int(pages) * pageSize >= bytes + Self.headerSize else {
            problems.append("\(name): overflow page \(number) does not hold its \(bytes) bytes")
            return
        }
    }

    func read(offset: Int, count: Int) -> [UInt8]? {
        guard offset >= 0, offset + count <= fileSize else { return nil }
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return got == count ? buffer : nil
    }
}

extension Array where Element == UInt8 {
    // Little-endian reads at a byte offset; the callers bound every offset first.
    fileprivate func u16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
    fileprivate func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    fileprivate func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}
