public import NIOCore
import SOMCodec

/// The rules of one connection, for either side: preface, SETTINGS, the stream table, credit
/// both ways, PING, GOAWAY and drain, deadlines. A plain value with no channel, socket or
/// clock: the transport feeds it bytes and events (a call started, a message to send, a timer
/// fired) and carries out what comes back: the bytes to write (`takeOutbound()`), an event per
/// frame read (`nextEvent()`), and whether the connection is over (`isClosed`).
///
/// Everything it writes goes into one outbound buffer, so the transport writes many frames in
/// one `write` per event-loop tick instead of one each.
public struct ConnectionStateMachine: Sendable {
    /// Which end of the connection this machine runs.
    public enum Role: Sendable { case client, server }

    enum State {
        /// Waiting for the peer's preface.
        case awaitingPreface
        case open
        /// Server: GOAWAY sent; no new calls; closed when the last stream ends.
        case draining
        case closed
    }

    /// This side's role.
    public let role: Role
    /// This side's limits (announced in its SETTINGS, enforced on what it reads).
    public let limits: ConnectionLimits
    let agent: String
    let router: Router
    let authorize: (@Sendable (MethodDescriptor) -> String?)?

    var state = State.awaitingPreface
    var inbound = ByteBuffer()
    var decoder: FrameDecoder
    var outbound = ByteBuffer()
    var streams: [UInt32: StreamStateMachine] = [:]
    /// Server: the highest HEADERS id seen. Client: the last id opened.
    public internal(set) var highestStreamID: UInt32 = 0
    /// True once the peer's preface and first SETTINGS are in.
    public internal(set) var handshakeComplete = false
    /// Credit the peer gives each new stream for this side's messages (its SETTINGS, capped).
    public internal(set) var peerInitialCredit = 64
    /// The largest frame payload the peer accepts (its SETTINGS).
    public internal(set) var peerMaxFrameSize = 4 << 20
    /// Client: why no new call may start here (the server said GOAWAY, or the connection failed).
    public internal(set) var refusal: RPCError?

    /// A server connection: routes calls with `router`; `authorize` (nil allows all) returns a
    /// refusal message for a method the peer may not call.
    public static func server(
        limits: ConnectionLimits, agent: String, router: Router, authorize: (@Sendable (MethodDescriptor) -> String?)? = nil
    ) -> ConnectionStateMachine {
        ConnectionStateMachine(role: .server, limits: limits, agent: agent, router: router, authorize: authorize)
    }

    /// A client connection.
    public static func client(limits: ConnectionLimits, agent: String = "som-client") -> ConnectionStateMachine {
        ConnectionStateMachine(role: .client, limits: limits, agent: agent, router: Router(), authorize: nil)
    }

    init(role: Role, limits: ConnectionLimits, agent: String, router: Router, authorize: (@Sendable (MethodDescriptor) -> String?)?) {
        self.role = role
        self.limits = limits
        self.agent = agent
        self.router = router
        self.authorize = authorize
        self.decoder = FrameDecoder(maxFrameSize: limits.maxFrameSize)
    }

    /// The connection is up: queues this side's preface and SETTINGS (each side speaks first).
    public mutating func start() {
        outbound.writeBytes(Preface.bytes)
        FrameEncoder.encode(.settings(limits, agent: agent), into: &outbound)
    }

    /// The connection is over; nothing more is read or written.
    public var isClosed: Bool { state == .closed }

    /// Streams open now.
    public var openStreams: Int { streams.count }

    /// The state of one open stream (nil when it is not open).
    public func stream(_ id: UInt32) -> StreamStateMachine? { streams[id] }

    /// The bytes to write now, if any; the machine starts a fresh buffer.
    public mutating func takeOutbound() -> ByteBuffer? {
        guard outbound.readableBytes > 0 else { return nil }
        defer { outbound = ByteBuffer() }
        return outbound
    }

    // MARK: reading

    /// Bytes arrived from the peer; read them with `nextEvent()`.
    public mutating func receive(_ bytes: inout ByteBuffer) {
        guard state != .closed else { return }
        if inbound.readableBytes == 0 {
            inbound = bytes  // no copy: most reads hold whole frames
        } else {
            inbound.writeBuffer(&bytes)
        }
    }

    /// Reads the next frame (or the preface) from what was received.
    /// - Returns: what it means for the transport, or nil when more bytes are needed.
    public mutating func nextEvent() -> ConnectionEvent? {
        guard state != .closed else { return nil }
        do {
            if state == .awaitingPreface {
                guard try Preface.read(from: &inbound) != nil else { return nil }
                state = .open
                return .handled
            }
            guard let frame = try decoder.next(from: &inbound) else {
                releaseInbound()
                return nil
            }
            return try handle(frame)
        } catch {
            return connectionError(error)
        }
    }

    /// An idle connection must not pin a read buffer; keep only an unfinished frame.
    private mutating func releaseInbound() {
        if inbound.readableBytes == 0 {
            inbound = ByteBuffer()
        } else {
            inbound.discardReadBytes()
        }
    }

    // MARK: writing control frames

    mutating func write(_ frame: Frame) {
        FrameEncoder.encode(frame, into: &outbound)
    }

    /// A STATUS, cut to the peer's maximum frame size.
    mutating func writeStatus(streamID: UInt32, _ status: RPCStatus) {
        write(.status(streamID: streamID, status, fitting: peerMaxFrameSize))
    }

    /// A GOAWAY, cut to the peer's maximum frame size.
    mutating func writeGoAway(code: RPCStatus.Code, reason: String) {
        write(.goAway(lastStreamID: highestStreamID, code: code, reason: reason, fitting: peerMaxFrameSize))
    }
}
