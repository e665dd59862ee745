#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive `flock` on `<socket>.lock`, held for the server's life.
///
/// NIO's `cleanupExistingSocketFile` would unlink any socket, a live server's too. Taking
/// this lock first tells the two apart: if we get it, no live server owns the socket and a
/// leftover file is stale; if we do not, another server is listening and we refuse to start.
/// The kernel drops the lock when the process dies, so `kill -9` leaves nothing to clean.
final class SocketLock: Sendable {
    let path: String
    private let descriptor: Int32

    init(socketPath: String) throws(ServerStartError) {
        path = socketPath + ".lock"
        // O_NOFOLLOW: a symlink planted at the lock path must not make us create or lock another file.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let reason = errno == ELOOP ? "is a symbolic link; remove it or choose another --socket" : String(cString: strerror(errno))
            throw .fileSystem(path: path, reason: reason)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .alreadyListening(path: socketPath)
        }
        descriptor = fd
    }

    /// Releases the lock (also released by the kernel at exit).
    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Checks the path fits `sun_path` and creates its directory (mode 0750) when missing.
func ensureSocketDirectory(_ path: String) throws(ServerStartError) {
    guard path.utf8.count < 108 else { throw .pathTooLong(path: path) }
    let directory = (path as NSString).deletingLastPathComponent
    guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
    do {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
    } catch {
        throw .fileSystem(path: directory, reason: "cannot create the socket directory: \(error.localizedDescription)")
    }
}

/// Sets the socket file's permission bits after bind.
func setSocketMode(_ path: String, _ mode: UInt16) throws(ServerStartError) {
    guard chmod(path, mode_t(mode)) == 0 else {
        throw .fileSystem(path: path, reason: "chmod failed: \(String(cString: strerror(errno)))")
    }
}
