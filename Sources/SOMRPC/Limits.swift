/// Connection limits one side enforces; the defaults suit a server on a busy machine.
public struct ConnectionLimits: Sendable, Hashable {
    /// The largest frame payload accepted, in bytes (the length prefix is checked before buffering).
    public var maxFrameSize = 4 << 20
    /// Streams a peer may keep open at once on one connection.
    public var maxConcurrentStreams = 1024
    /// Messages a peer may send on a stream before it is granted more.
    public var initialStreamCredit = 64
    /// A connection with no open stream and no frame for this long is closed with a GOAWAY; nil means never.
    public var idleTimeout: Duration? = .seconds(300)
    /// The largest CallHeader payload accepted, in bytes.
    public var maxHeaderSize = 16 << 10

    /// The defaults.
    public init() {}
}
