import Foundation
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Clears the socket path for bind, deleting only what is provably a stale som socket.
///
/// A mistyped `--socket` must never cost data: the path may name a data directory, a regular file,
/// a symlink or another program's live socket. So only an entry that `lstat` calls a socket
/// (links are not followed), on which nobody accepts a connection (`ECONNREFUSED`), is removed, and
/// only while we hold `<socket>.lock`, so no starting som server can be racing us for it.
/// Anything else is refused with ``ServerStartError/pathOccupied(path:what:)``.
func removeStaleSocket(_ path: String, group: any EventLoopGroup) async throws(ServerStartError) {
    let attributes: [FileAttributeKey: Any]
    do {
        attributes = try FileManager.default.attributesOfItem(atPath: path)
    } catch {
        // Nothing there (or nothing we can see): bind will create it or say why not.
        return
    }
    let type = attributes[.type] as? FileAttributeType
    guard type == .typeSocket else { throw .pathOccupied(path: path, what: describe(type)) }
    switch await probe(path, group: group) {
    case .answered:
        throw .pathOccupied(path: path, what: "a socket another program is listening on")
    case .failed(let reason):
        throw .pathOccupied(path: path, what: "a socket som cannot probe (\(reason))")
    case .refused:
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .fileSystem(path: path, reason: "cannot remove the stale socket file: \(String(cString: strerror(errno)))")
        }
    }
}

private enum ProbeResult {
    case answered
    case refused
    case failed(String)
}

/// Connects once: a listener answers, a dead socket file refuses.
private func probe(_ path: String, group: any EventLoopGroup) async -> ProbeResult {
    do {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(2))
            .connect(unixDomainSocketPath: path).get()
        try? await channel.close()
        return .answered
    } catch let error as IOError where error.errnoCode == ECONNREFUSED {
        return .refused
    } catch {
        return .failed("\(error)")
    }
}

private func describe(_ type: FileAttributeType?) -> String {
    switch type {
    case .typeDirectory?: return "a directory"
    case .typeRegular?: return "a regular file"
    case .typeSymbolicLink?: return "a symbolic link"
    case .typeCharacterSpecial?, .typeBlockSpecial?: return "a device"
    default: return "not a socket"
    }
}

/// Removes the socket we bound, at shutdown; `unlink` never removes a directory someone put there since.
func removeOwnSocket(_ path: String) {
    guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType,
          type == .typeSocket else { return }
    _ = unlink(path)
}
