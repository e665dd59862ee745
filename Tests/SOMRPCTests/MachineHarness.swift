import NIOCore
import SOMCodec
import SOMRPC

/// A handler that never runs: the state machine only routes, it does not call handlers.
struct UnusedHandler: ServerCallHandler {
    func handle(requests: RequestStream, responses: ResponseWriter, context: ServerContext) async throws {}
}

/// A connection state machine driven by hand: frames in, events and frames out. No sockets.
struct MachineHarness {
    var machine: ConnectionStateMachine

    static let unary = MethodDescriptor(service: "test.v1.T", method: "Unary", shape: .unary)
    static let serverStreaming = MethodDescriptor(service: "test.v1.T", method: "ServerStreaming", shape: .serverStreaming)
    static let clientStreaming = MethodDescriptor(service: "test.v1.T", method: "ClientStreaming", shape: .clientStreaming)
    static let bidirectional = MethodDescriptor(service: "test.v1.T", method: "Bidirectional", shape: .bidirectional)
    static let secret = MethodDescriptor(service: "test.v1.T", method: "Secret", shape: .unary)

    /// A server with one method of each shape and `Secret`, which `authorize` refuses. The
    /// client's preface and SETTINGS are already read, and the server's own output taken.
    static func server(limits: ConnectionLimits = ConnectionLimits(), settings: ConnectionSettings = ConnectionSettings()) -> MachineHarness {
        var router = Router()
        for method in [unary, serverStreaming, clientStreaming, bidirectional, secret] { router.register(method, handler: UnusedHandler()) }
        var harness = MachineHarness(machine: .server(limits: limits, agent: "test", router: router) { method in
            method == secret ? "uid 1000 may not call Secret" : nil
        })
        harness.machine.start()
        _ = harness.written()
        _ = harness.receive(Preface.bytes)
        _ = harness.receive(Frame(type: .settings, streamID: 0, payload: ByteBuffer(bytes: settings.encoded())))
        return harness
    }

    /// A client whose server's preface and SETTINGS are already read.
    static func client(limits: ConnectionLimits = ConnectionLimits(), settings: ConnectionSettings = ConnectionSettings()) -> MachineHarness {
        var harness = MachineHarness(machine: .client(limits: limits))
        harness.machine.start()
        _ = harness.written()
        _ = harness.receive(Preface.bytes)
        _ = harness.receive(Frame(type: .settings, streamID: 0, payload: ByteBuffer(bytes: settings.encoded())))
        return harness
    }

    /// Feeds raw bytes; returns every event they produce.
    mutating func receive(_ bytes: [UInt8]) -> [ConnectionEvent] {
        var buffer = ByteBuffer(bytes: bytes)
        machine.receive(&buffer)
        var events: [ConnectionEvent] = []
        while let event = machine.nextEvent() { events.append(event) }
        return events
    }

    /// Feeds frames; returns every event they produce.
    mutating func receive(_ frames: Frame...) -> [ConnectionEvent] {
        var buffer = ByteBuffer()
        for frame in frames { FrameEncoder.encode(frame, into: &buffer) }
        return receive(Array(buffer.readableBytesView))
    }

    /// Frames the machine wrote since last asked (a leading preface skipped).
    mutating func written() -> [Frame] {
        guard var bytes = machine.takeOutbound() else { return [] }
        if bytes.getBytes(at: bytes.readerIndex, length: 6) == Preface.magic { bytes.moveReaderIndex(forwardBy: Preface.size) }
        var decoder = FrameDecoder(maxFrameSize: 16 << 20)
        var frames: [Frame] = []
        while let frame = try? decoder.next(from: &bytes) { frames.append(frame) }
        return frames
    }

    /// HEADERS for `method` on `id`.
    static func headers(_ id: UInt32, _ method: MethodDescriptor, timeoutUs: UInt64 = 0) -> Frame {
        .headers(streamID: id, CallHeader(method: method.path, timeoutUs: timeoutUs))
    }

    /// The one GOAWAY written, decoded.
    mutating func goAway() -> GoAway? {
        let frames = written()
        guard frames.count == 1, frames[0].type == .goAway else { return nil }
        return try? frames[0].decodePayload(as: GoAway.self)
    }
}

extension Frame {
    /// The STATUS payload, decoded.
    var status: RPCStatus? {
        guard type == .status, let wire = try? decodePayload(as: CallStatus.self) else { return nil }
        return RPCStatus(wire)
    }
}

extension ConnectionEvent {
    /// A short name, for comparing event sequences.
    var name: String {
        switch self {
        case .handled: "handled"
        case .handshakeComplete: "handshakeComplete"
        case .callOpened(let id, _, _): "callOpened(\(id))"
        case .callRefused(let id, let status): "callRefused(\(id), \(status.code.name))"
        case .message(let id, _, let end): "message(\(id)\(end ? ", end" : ""))"
        case .inboundEnded(let id): "inboundEnded(\(id))"
        case .creditGranted(let id, let count): "creditGranted(\(id), \(count))"
        case .streamClosed(let id, let error): "streamClosed(\(id), \(error?.code.name ?? "OK"))"
        case .streamsRefused(let ids, let error): "streamsRefused(\(ids), \(error.code.name))"
        case .connectionClosed(let error): "connectionClosed(\(error.code.name))"
        }
    }
}
