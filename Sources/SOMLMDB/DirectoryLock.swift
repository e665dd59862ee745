#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// An exclusive `flock` on a file inside a data directory, held for a process's whole use of it.
///
/// LMDB itself lets many processes share an environment; a server that caches counters in memory
/// (next id, event head) must be the only writer, so it takes this lock before opening. The kernel
/// releases it when the process dies, so a `kill -9` leaves nothing to clean up. The holder's pid is
/// written into the file so the refusal can name it.
public final class DirectoryLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Why the lock could not be taken.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// Another live process holds it; `pid` is what that process wrote (0 if unreadable).
        case held(path: String, pid: Int32)
        /// The file could not be opened or created.
        case cannotOpen(path: String, reason: String)

        public var description: String {
            switch self {
            case .held(let path, let pid):
                return pid > 0 ? "\(path) is held by process \(pid)" : "\(path) is held by another process"
            case .cannotOpen(let path, let reason):
                return "cannot open \(path): \(reason)"
            }
        }
    }

    /// Takes the lock on `path` (created with mode 0600 if missing) without waiting.
    public init(path: String) throws(Failure) {
        self.path = path
        // O_NOFOLLOW: a symlink planted here must not make us truncate and write another file.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "it is a symbolic link, which som never writes through" : String(cString: strerror(errno))
            throw .cannotOpen(path: path, reason: reason)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(fd)
            close(fd)
            throw .held(path: path, pid: holder)
        }
        descriptor = fd
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Releases the lock (the kernel also releases it at exit).
    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func readPID(_ fd: Int32) -> Int32 {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return 0 }
        let text = String(decoding: buffer[0..<count].filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)
        return Int32(text) ?? 0
    }
}
