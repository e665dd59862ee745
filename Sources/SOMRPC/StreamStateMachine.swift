/// The rules of one stream, for either side, for every call shape: who may send what, when,
/// and how much (credit). A plain value; the transport owns one per open stream.
///
/// Credit counts messages: a side may send a message only while the peer's grant is above
/// zero, and grants more as it consumes. So a stream never buffers more than its window,
/// however fast or slow either end is.
public struct StreamStateMachine: Sendable {
    /// Which end of the call this machine describes.
    public enum Role: Sendable { case client, server }

    /// The outcome of asking to send a message.
    public enum SendPermission: Sendable, Equatable {
        /// Send now; the credit has been taken.
        case granted
        /// Wait for a CREDIT frame from the peer, then ask again.
        case waitForCredit
    }

    /// The call shape.
    public let shape: CallShape
    /// This side's role.
    public let role: Role
    /// The peer may still send messages (it has not half-closed).
    public private(set) var inboundOpen = true
    /// This side may still send messages.
    public private(set) var outboundOpen = true
    /// Messages received so far.
    public private(set) var received = 0
    /// Messages sent so far.
    public private(set) var sent = 0
    /// Messages the peer may still send before this side grants more.
    public private(set) var inboundCredit: Int
    /// Messages this side may still send before the peer grants more.
    public private(set) var outboundCredit: Int

    /// Creates the state of a newly opened stream.
    /// - Parameters:
    ///   - inboundWindow: the initial credit this side gives the peer (from its own SETTINGS).
    ///   - outboundWindow: the initial credit the peer gives this side (from the peer's SETTINGS).
    public init(shape: CallShape, role: Role, inboundWindow: Int, outboundWindow: Int) {
        self.shape = shape
        self.role = role
        self.inboundCredit = inboundWindow
        self.outboundCredit = outboundWindow
    }

    private var peerSendsOne: Bool { role == .server ? shape.clientSendsOne : shape.serverSendsOne }
    private var selfSendsOne: Bool { role == .server ? shape.serverSendsOne : shape.clientSendsOne }

    /// A message arrived from the peer.
    public mutating func receiveMessage(endStream: Bool) throws(StreamViolation) {
        guard inboundOpen else { throw .messageAfterEnd }
        guard inboundCredit > 0 else { throw .creditExceeded }
        if peerSendsOne && received >= 1 { throw .tooManyMessages(shape) }
        inboundCredit -= 1
        received += 1
        if endStream { inboundOpen = false }
    }

    /// The peer half-closed without a message (an END frame).
    public mutating func receiveEnd() throws(StreamViolation) {
        guard inboundOpen else { throw .messageAfterEnd }
        inboundOpen = false
        // A server that answers nothing is valid only with a non-OK status, which comes as STATUS, not END.
        if role == .server && peerSendsOne && received == 0 { throw .missingMessage(shape) }
    }

    /// This side consumed messages and grants the peer `count` more.
    public mutating func grantInbound(_ count: Int) {
        inboundCredit += count
    }

    /// Messages taken by the local consumer since credit was last returned.
    public private(set) var consumedSinceGrant = 0

    /// The local consumer took one message. Credit goes back in batches of half the window,
    /// so a fast stream costs one CREDIT frame per `window / 2` messages, not one per message.
    ///
    /// - Returns: the count to send in a CREDIT frame now (already added to `inboundCredit`), or nil.
    public mutating func consumeInbound(window: Int) -> Int? {
        consumeInbound(1, window: window)
    }

    /// `consumeInbound(window:)` for `count` messages taken at once (a reader reports in batches).
    public mutating func consumeInbound(_ count: Int, window: Int) -> Int? {
        guard inboundOpen else { return nil }
        consumedSinceGrant += count
        guard consumedSinceGrant >= max(1, window / 2) else { return nil }
        let grant = consumedSinceGrant
        consumedSinceGrant = 0
        grantInbound(grant)
        return grant
    }

    /// The peer granted `count` more messages (a CREDIT frame).
    public mutating func receiveCredit(_ count: Int) throws(StreamViolation) {
        guard count > 0, outboundCredit <= Int(Int32.max) - count else { throw .badCredit(count) }
        outboundCredit += count
    }

    /// Asks to send one message.
    public mutating func requestSend() throws(StreamViolation) -> SendPermission {
        guard outboundOpen else { throw .sendAfterEnd }
        if selfSendsOne && sent >= 1 { throw .tooManyMessages(shape) }
        guard outboundCredit > 0 else { return .waitForCredit }
        outboundCredit -= 1
        sent += 1
        return .granted
    }

    /// This side half-closes (client END, or the server's STATUS).
    public mutating func closeOutbound() {
        outboundOpen = false
    }

    /// Both sides are done with the stream.
    public var isClosed: Bool { !inboundOpen && !outboundOpen }
}

/// A broken stream rule; the stream ends with the status this maps to, the connection lives on.
public enum StreamViolation: Error, Hashable, Sendable, CustomStringConvertible {
    case messageAfterEnd
    case sendAfterEnd
    case creditExceeded
    case badCredit(Int)
    case tooManyMessages(CallShape)
    case missingMessage(CallShape)

    public var description: String {
        switch self {
        case .messageAfterEnd: "message after the sender half-closed the stream"
        case .sendAfterEnd: "send after this side closed the stream"
        case .creditExceeded: "peer sent a message without credit (flow-control violation)"
        case .badCredit(let count): "invalid credit grant \(count)"
        case .tooManyMessages(let shape): "more than one message on a \(shape) call"
        case .missingMessage(let shape): "stream half-closed without the one message a \(shape) call needs"
        }
    }

    /// The status the stream ends with.
    public var status: RPCStatus {
        switch self {
        case .creditExceeded: RPCStatus(code: .resourceExhausted, message: description)
        case .sendAfterEnd: RPCStatus(code: .internal, message: description)
        default: RPCStatus(code: .invalidArgument, message: description)
        }
    }
}
