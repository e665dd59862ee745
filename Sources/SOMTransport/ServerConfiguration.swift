public import SOMRPC

/// How the RPC server listens and whom it serves.
public struct ServerConfiguration: Sendable {
    /// The Unix socket path.
    public var socketPath: String
    /// Permission bits of the socket file (default 0660: owner and group may connect).
    public var socketMode: UInt16 = 0o660
    /// Per-connection limits.
    public var limits = ConnectionLimits()
    /// Connections served at once; one more gets a GOAWAY with RESOURCE_EXHAUSTED, unless it can
    /// evict a connection that never finished its handshake or is privileged (see below).
    public var maxConnections = 256
    /// Extra connections beyond `maxConnections` kept for privileged peers, so an operator's
    /// `Health` or drain still gets in while ordinary clients fill the limit.
    public var reservedConnections = 4
    /// Who may use the reserved connections; nil means root and the server's own uid.
    public var isPrivileged: (@Sendable (PeerCredentials) -> Bool)?
    /// A connection that has not sent its preface and SETTINGS within this time is closed.
    public var handshakeTimeout: Duration = .seconds(5)
    /// Outbound bytes one connection may have queued before the channel stops being writable
    /// (NIO's high water mark); writing resumes below `writeBufferLowWaterMark`.
    public var writeBufferHighWaterMark = 256 << 10
    /// See `writeBufferHighWaterMark`.
    public var writeBufferLowWaterMark = 64 << 10
    /// Response bytes one connection's handlers may hand over without waiting for the socket;
    /// past it each handler waits until its messages are written.
    public var maxQueuedResponseBytes = 256 << 10
    /// How long in-flight calls may run after shutdown starts before they are cancelled.
    public var drainTimeout: Duration = .seconds(10)
    /// Decides whether a peer may call a method: nil back allows the call, a message refuses it with
    /// PERMISSION_DENIED and that message. No function allows everyone who can open the socket.
    public var authorize: (@Sendable (PeerCredentials, MethodDescriptor) -> String?)?
    /// Name and version sent in SETTINGS.
    public var agent = "somd"
    /// A listening Unix socket passed in by systemd (socket activation, `SocketActivation`): served
    /// instead of binding `socketPath`, which is then only its name in logs. systemd owns the
    /// path, its mode and group, so the server neither locks, removes nor chmods it.
    public var inheritedListener: Int32?

    /// A configuration listening on `socketPath` with default limits.
    public init(socketPath: String) {
        self.socketPath = socketPath
    }
}

/// Why the server could not start.
public enum ServerStartError: Error, CustomStringConvertible, Sendable {
    /// Another live server holds the socket's lock.
    case alreadyListening(path: String)
    /// The socket path does not fit `sun_path` (108 bytes on Linux).
    case pathTooLong(path: String)
    /// A file system step failed.
    case fileSystem(path: String, reason: String)
    /// Something other than a stale som socket sits at the socket path; nothing was removed.
    case pathOccupied(path: String, what: String)

    public var description: String {
        switch self {
        case .alreadyListening(let path): "another server is listening on \(path)"
        case .pathTooLong(let path): "socket path is too long (\(path.utf8.count) bytes, at most 107): \(path)"
        case .fileSystem(let path, let reason): "\(path): \(reason)"
        case .pathOccupied(let path, let what): "\(path) exists and is not a stale som socket (\(what)); nothing was removed"
        }
    }
}
