/// Connection limits one side enforces; the defaults suit a server on a busy machine.
public struct ConnectionLimits: Sendable, Hashable {
    /// The largest frame payload accepted, in bytes (the length prefix is checked before buffering).
    public var maxFrameSize = 4 << 20
    /// Streams a peer may keep open at once on one connection.
    public var maxConcurrentStreams = 1024
    /// Messages a peer may send on a stream before it is granted more.
    public var initialStreamCredit = 64
    /// The largest `initial_stream_credit` taken from a peer's SETTINGS; more is read as this.
    public static let maxInitialStreamCredit = 1024
    /// The smallest `max_frame_size` a peer may announce (a PING needs 8 bytes, a STATUS a few more).
    public static let minFrameSize = 16
    /// A connection with no open stream and no frame for this long is closed with a GOAWAY; nil means never.
    public var idleTimeout: Duration? = .seconds(300)
    /// The largest CallHeader payload accepted, in bytes.
    public var maxHeaderSize = 16 << 10

    /// The defaults.
    public init() {}
}
