import NIOCore
import SOMRPC
#if canImport(Glibc)
import Glibc
#endif

extension PeerCredentials {
    /// Reads SO_PEERCRED of a connected Unix socket: who is on the other end, as the kernel saw them at connect.
    static func of(_ channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(PeerCredentials(uid: UInt32.max, gid: UInt32.max, pid: 0))
        }
        let future: EventLoopFuture<KernelPeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED))
        return future.map { PeerCredentials(uid: $0.uid, gid: $0.gid, pid: $0.pid) }
        #else
        return channel.eventLoop.makeSucceededFuture(PeerCredentials(uid: UInt32.max, gid: UInt32.max, pid: 0))
        #endif
    }
}

/// The layout of Linux's `struct ucred` (pid, uid, gid: three 32-bit fields), which Glibc's
/// Swift overlay does not export. SO_PEERCRED writes exactly these 12 bytes.
private struct KernelPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
