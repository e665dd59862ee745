/// Who is calling: the peer's credentials as the kernel reports them (SO_PEERCRED).
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The peer process's user id.
    public var uid: UInt32
    /// The peer process's group id.
    public var gid: UInt32
    /// The peer process id.
    public var pid: Int32
    /// The peer process's supplementary groups, when the transport could learn them (SO_PEERCRED
    /// carries only the primary gid; see `PeerCredentials.of`). Empty when unknown.
    public var groups: [UInt32]

    /// Creates credentials.
    public init(uid: UInt32, gid: UInt32, pid: Int32, groups: [UInt32] = []) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.groups = groups
    }

    /// The primary and supplementary groups.
    public var allGroups: Set<UInt32> { Set(groups).union([gid]) }

    public var description: String { "uid=\(uid) gid=\(gid) pid=\(pid)" }
}

/// What a handler knows about its call besides the messages.
public struct ServerContext: Sendable {
    /// The method called.
    public var method: MethodDescriptor
    /// The caller.
    public var peer: PeerCredentials
    /// The call's metadata.
    public var metadata: [String: String]
    /// When the call must be finished by, if the client set a deadline.
    public var deadline: ContinuousClock.Instant?

    /// Creates a context.
    public init(method: MethodDescriptor, peer: PeerCredentials, metadata: [String: String] = [:], deadline: ContinuousClock.Instant? = nil) {
        self.method = method
        self.peer = peer
        self.metadata = metadata
        self.deadline = deadline
    }
}
