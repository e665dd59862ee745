import Foundation
import NIOCore
import SOMRPC
#if canImport(Glibc)
import Glibc
#endif

extension PeerCredentials {
    /// Reads SO_PEERCRED of a connected Unix socket: who is on the other end, as the kernel saw them
    /// at connect, with the supplementary groups read once from `/proc/<pid>/status` (see
    /// `supplementaryGroups`).
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(PeerCredentials(uid: UInt32.max, gid: UInt32.max, pid: 0))
        }
        let future: EventLoopFuture<KernelPeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map {
            PeerCredentials(uid: $0.uid, gid: $0.gid, pid: $0.pid, groups: supplementaryGroups(pid: $0.pid, uid: $0.uid))
        }
        #else
        return channel.eventLoop.makeSucceededFuture(PeerCredentials(uid: UInt32.max, gid: UInt32.max, pid: 0))
        #endif
    }

    /// The `Groups:` line of `/proc/<pid>/status`, read once per connection at accept (a small
    /// procfs read). SO_PEERCRED has only the primary gid, and group-based roles ("the operators
    /// group") need the others. The file shows the process as it is now, not at connect: when its
    /// effective uid no longer matches `uid` (the pid was reused, or the peer exited), no groups are
    /// taken, so a stranger's groups are never credited to the peer.
    static func supplementaryGroups(pid: Int32, uid: UInt32) -> [UInt32] {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return [] }
        return parseStatusGroups(text, uid: uid)
    }

    /// The groups of a `/proc/<pid>/status` text whose effective uid is `uid`; empty otherwise.
    static func parseStatusGroups(_ text: String, uid: UInt32) -> [UInt32] {
        var effectiveUID: UInt32?
        var groups: [UInt32] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("Uid:") {
                // Real, effective, saved, file system: SO_PEERCRED reports the effective one.
                let ids = line.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" })
                effectiveUID = ids.count > 1 ? UInt32(ids[1]) : nil
            } else if line.hasPrefix("Groups:") {
                groups = line.dropFirst(7).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) }
            }
        }
        return effectiveUID == uid ? groups : []
    }
}

/// The layout of Linux's `struct ucred` (pid, uid, gid: three 32-bit fields), which Glibc's
/// Swift overlay does not export. SO_PEERCRED writes exactly these 12 bytes.
private struct KernelPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
