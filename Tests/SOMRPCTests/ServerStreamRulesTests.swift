import NIOCore
import SOMCodec
import SOMRPC
import Testing

// docs/protocol.md §4 "Streams and calls", server side, one test per row or rule; no sockets.
//
// Where each row of §4 and §9 is tested (state machine here and in ServerConnectionRulesTests /
// ClientConnectionRulesTests; handlers on EmbeddedChannel in Tests/SOMTransportTests):
//   §4 stream ids (even, not increasing)      headersOnEvenID, headersNotIncreasing
//   §4 call shapes (4 rows)                   shapeUnary, shapeServerStreaming, shapeClientStreaming(+Empty), shapeBidirectional
//   §4 half-close                             halfCloseEquivalent
//   §4 end of a call / STATUS before request  statusBeforeRequest; client: statusEndsCall; handlers: ClientHandlerTests.statusBeforeRequest
//   §4 STATUS closes the stream               framesAfterStatusIgnored
//   §4 CANCEL                                 cancelTearsDown; handlers: ServerHandlerTests.cancel, ClientHandlerTests.cancel
//   §4 client CANCEL on deadline / rule break client: deadline, serverBrokeRules, serverWithoutCredit; ClientHandlerTests.deadline
//   §4 late vs bogus frames                   lateFramesIgnored, neverOpenedStream; client: ignoresUnknownStreams
//   §4 violation rows (5)                     messageWithoutCredit, afterHalfClose, secondRequest, endBeforeRequest, creditOverflow
//   §9 connection error (each example)        ServerConnectionRulesTests: badPreface, wrongMajor, frameTooLarge, unknownType,
//                                             streamZeroRule, badControlPayloads, tinyMaxFrameSize, statusFromClient, plus the
//                                             two §4 ones above; ServerHandlerTests.connectionError (GOAWAY, channel closed)
//   §9 stream error (each example)            the §4 violation tests, headersChecks (size, undecodable, streams, unknown,
//                                             denied), deadline; ServerHandlerTests.handlerErrors, .denied, .deadline;
//                                             connection and other streams continue: violationKeepsConnection
//   §9 draining                               ServerConnectionRulesTests.drain, headersChecks; ServerHandlerTests.draining
//   §9 client: server protocol error is fatal ClientConnectionRulesTests.fatalServerErrors; ClientHandlerTests.fatal
@Suite("Connection state machine, server: §4 streams and calls", .timeLimit(.minutes(2)))
struct ServerStreamRulesTests {
    typealias H = MachineHarness

    @Test("§4 stream ids: HEADERS on an even id is a connection error (GOAWAY INVALID_ARGUMENT)")
    func headersOnEvenID() {
        var server = H.server()
        #expect(server.receive(H.headers(2, H.unary)).map(\.name) == ["connectionClosed(UNAVAILABLE)"])
        #expect(server.goAway()?.code == RPCStatus.Code.invalidArgument.rawValue)
        #expect(server.machine.isClosed)
    }

    @Test("§4 stream ids: HEADERS on an id not above every id seen is a connection error")
    func headersNotIncreasing() {
        var server = H.server()
        _ = server.receive(H.headers(5, H.bidirectional))
        _ = server.written()
        #expect(server.receive(H.headers(3, H.unary)).map(\.name) == ["connectionClosed(UNAVAILABLE)"])
        let away = server.goAway()
        #expect(away?.code == RPCStatus.Code.invalidArgument.rawValue)
        #expect(away?.lastStreamID == 5)
    }

    @Test("§4 shape unary: exactly 1 MESSAGE each way, then OK STATUS")
    func shapeUnary() {
        var server = H.server()
        #expect(server.receive(H.headers(1, H.unary), .message(streamID: 1, [7], endStream: true)).map(\.name)
            == ["callOpened(1)", "message(1, end)"])
        let finished = server.machine.finishCall(streamID: 1, response: [8], status: .ok)
        #expect(finished)
        let frames = server.written()
        #expect(frames.map(\.type) == [.message, .status])
        #expect(frames[1].status?.code == .ok)
        #expect(server.machine.openStreams == 0)
    }

    @Test("§4 shape server streaming: 1 MESSAGE in, 0..n out before OK")
    func shapeServerStreaming() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.serverStreaming), .message(streamID: 1, [1], endStream: true))
        for _ in 0..<3 { guard case .sent = server.machine.sendMessage(streamID: 1, [2]) else { Issue.record("not sent"); return } }
        server.machine.finishCall(streamID: 1, status: .ok)
        #expect(server.written().map(\.type) == [.message, .message, .message, .status])
    }

    @Test("§4 shape client streaming: 0..n MESSAGE in, exactly 1 out; a second response is refused")
    func shapeClientStreaming() {
        var server = H.server()
        #expect(server.receive(H.headers(1, H.clientStreaming), .message(streamID: 1, [1]), .message(streamID: 1, [2]),
            Frame(type: .end, streamID: 1)).map(\.name) == ["callOpened(1)", "message(1)", "message(1)", "inboundEnded(1)"])
        guard case .sent = server.machine.sendMessage(streamID: 1, [9]) else { Issue.record("first response not sent"); return }
        guard case .refused(let error) = server.machine.sendMessage(streamID: 1, [9]) else { Issue.record("second response sent"); return }
        #expect(error.code == .internal)
    }

    @Test("§4 shape client streaming with zero requests: END alone half-closes")
    func shapeClientStreamingEmpty() {
        var server = H.server()
        #expect(server.receive(H.headers(1, H.clientStreaming), Frame(type: .end, streamID: 1)).map(\.name)
            == ["callOpened(1)", "inboundEnded(1)"])
    }

    @Test("§4 shape bidirectional: 0..n each way")
    func shapeBidirectional() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.bidirectional), .message(streamID: 1, [1]))
        guard case .sent = server.machine.sendMessage(streamID: 1, [1]) else { Issue.record("not sent"); return }
        #expect(server.receive(.message(streamID: 1, [2], endStream: true)).map(\.name) == ["message(1, end)"])
        guard case .sent = server.machine.sendMessage(streamID: 1, [2]) else { Issue.record("not sent"); return }
    }

    @Test("§4 half-close: END_STREAM on the last MESSAGE and a separate END are equivalent")
    func halfCloseEquivalent() {
        var withFlag = H.server(), withEnd = H.server()
        _ = withFlag.receive(H.headers(1, H.bidirectional), .message(streamID: 1, [1], endStream: true))
        _ = withEnd.receive(H.headers(1, H.bidirectional), .message(streamID: 1, [1]), Frame(type: .end, streamID: 1))
        #expect(withFlag.machine.stream(1)?.inboundOpen == false)
        #expect(withEnd.machine.stream(1)?.inboundOpen == false)
        // Either way, a later MESSAGE breaks the rules.
        #expect(withFlag.receive(.message(streamID: 1, [2])).map(\.name) == ["streamClosed(1, INVALID_ARGUMENT)"])
        #expect(withEnd.receive(.message(streamID: 1, [2])).map(\.name) == ["streamClosed(1, INVALID_ARGUMENT)"])
    }

    @Test("§4 end of a call: a non-OK STATUS can answer HEADERS alone; the request sent anyway is ignored")
    func statusBeforeRequest() {
        var server = H.server()
        let unknown = Frame.headers(streamID: 1, CallHeader(method: "/test.v1.T/Nope"))
        #expect(server.receive(unknown, .message(streamID: 1, [1], endStream: true)).map(\.name) == ["callRefused(1, UNIMPLEMENTED)", "handled"])
        #expect(server.written().map { $0.status?.code } == [.unimplemented])
        #expect(server.machine.openStreams == 0)
    }

    @Test("§4 STATUS closes the stream: later client frames for it are ignored")
    func framesAfterStatusIgnored() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.bidirectional))
        server.machine.finishCall(streamID: 1, status: RPCStatus(code: .notFound))
        _ = server.written()
        #expect(server.receive(.message(streamID: 1, [1]), Frame(type: .end, streamID: 1), .credit(streamID: 1, 5), Frame(type: .cancel, streamID: 1))
            .map(\.name) == ["handled", "handled", "handled", "handled"])
        #expect(server.written().isEmpty)
        #expect(!server.machine.isClosed)
    }

    @Test("§4 CANCEL: the stream is torn down at once, no STATUS")
    func cancelTearsDown() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.serverStreaming), .message(streamID: 1, [1], endStream: true))
        #expect(server.receive(Frame(type: .cancel, streamID: 1)).map(\.name) == ["streamClosed(1, CANCELLED)"])
        #expect(server.written().isEmpty)
        guard case .streamClosed = server.machine.sendMessage(streamID: 1, [1]) else { Issue.record("sent after CANCEL"); return }
        let finishedAgain = server.machine.finishCall(streamID: 1, status: .ok)
        #expect(!finishedAgain)
        #expect(server.written().isEmpty)
    }

    @Test("§4 late frames: MESSAGE, END, CANCEL, CREDIT for an ended stream id are silently ignored")
    func lateFramesIgnored() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.unary), .message(streamID: 1, [1], endStream: true))
        server.machine.finishCall(streamID: 1, response: [1], status: .ok)
        _ = server.written()
        for frame in [Frame.message(streamID: 1, [1]), Frame(type: .end, streamID: 1), Frame(type: .cancel, streamID: 1), .credit(streamID: 1, 1)] {
            #expect(server.receive(frame).map(\.name) == ["handled"])
        }
        #expect(server.written().isEmpty)
    }

    @Test("§4 bogus frames: MESSAGE, END, CANCEL, CREDIT for a stream never opened are a connection error")
    func neverOpenedStream() {
        for frame in [Frame.message(streamID: 3, [1]), Frame(type: .end, streamID: 3), Frame(type: .cancel, streamID: 3), .credit(streamID: 3, 1)] {
            var server = H.server()
            _ = server.receive(H.headers(1, H.bidirectional))
            #expect(server.receive(frame).map(\.name) == ["connectionClosed(UNAVAILABLE)"])
            #expect(server.goAway()?.code == RPCStatus.Code.invalidArgument.rawValue)
        }
    }

    @Test("§4 violation row: MESSAGE without credit is STATUS RESOURCE_EXHAUSTED")
    func messageWithoutCredit() {
        var limits = ConnectionLimits()
        limits.initialStreamCredit = 2
        var server = H.server(limits: limits)
        _ = server.receive(H.headers(1, H.clientStreaming), .message(streamID: 1, [1]), .message(streamID: 1, [2]))
        #expect(server.receive(.message(streamID: 1, [3])).map(\.name) == ["streamClosed(1, RESOURCE_EXHAUSTED)"])
        #expect(server.written().map { $0.status?.code } == [.resourceExhausted])
    }

    @Test("§4 violation row: MESSAGE or END after END_STREAM/END is STATUS INVALID_ARGUMENT")
    func afterHalfClose() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.bidirectional), Frame(type: .end, streamID: 1), H.headers(3, H.bidirectional), .message(streamID: 3, [1], endStream: true))
        #expect(server.receive(.message(streamID: 1, [1])).map(\.name) == ["streamClosed(1, INVALID_ARGUMENT)"])
        #expect(server.receive(Frame(type: .end, streamID: 3)).map(\.name) == ["streamClosed(3, INVALID_ARGUMENT)"])
        #expect(server.written().map { $0.status?.code } == [.invalidArgument, .invalidArgument])
    }

    @Test("§4 violation row: second MESSAGE on unary / server streaming is STATUS INVALID_ARGUMENT")
    func secondRequest() {
        for method in [H.unary, H.serverStreaming] {
            var server = H.server()
            _ = server.receive(H.headers(1, method), .message(streamID: 1, [1]))
            #expect(server.receive(.message(streamID: 1, [2])).map(\.name) == ["streamClosed(1, INVALID_ARGUMENT)"])
        }
    }

    @Test("§4 violation row: END before the one request of unary / server streaming is STATUS INVALID_ARGUMENT")
    func endBeforeRequest() {
        for method in [H.unary, H.serverStreaming] {
            var server = H.server()
            _ = server.receive(H.headers(1, method))
            #expect(server.receive(Frame(type: .end, streamID: 1)).map(\.name) == ["streamClosed(1, INVALID_ARGUMENT)"])
            #expect(server.written().map { $0.status?.code } == [.invalidArgument])
        }
    }

    @Test("§4 violation row: CREDIT raising the stream's credit above 2^31-1 is STATUS INVALID_ARGUMENT")
    func creditOverflow() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.bidirectional))
        #expect(server.receive(.credit(streamID: 1, UInt32(Int32.max))).map(\.name) == ["streamClosed(1, INVALID_ARGUMENT)"])
        #expect(!server.machine.isClosed)
    }

    @Test("§4 violations end only that stream: the connection and other streams continue")
    func violationKeepsConnection() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.unary), H.headers(3, H.bidirectional))
        _ = server.receive(Frame(type: .end, streamID: 1))
        #expect(server.receive(.message(streamID: 3, [1])).map(\.name) == ["message(3)"])
        #expect(server.machine.openStreams == 1)
    }

    @Test("§5 credit: responses stop at the client's window and resume on CREDIT; a window above 1,024 is read as 1,024")
    func outboundCredit() {
        var server = H.server(settings: ConnectionSettings(initialStreamCredit: 2))
        _ = server.receive(H.headers(1, H.serverStreaming), .message(streamID: 1, [1], endStream: true))
        guard case .sent = server.machine.sendMessage(streamID: 1, [1]), case .sent = server.machine.sendMessage(streamID: 1, [1]),
              case .waitForCredit = server.machine.sendMessage(streamID: 1, [1]) else { Issue.record("credit not enforced"); return }
        #expect(server.receive(.credit(streamID: 1, 1)).map(\.name) == ["creditGranted(1, 1)"])
        guard case .sent = server.machine.sendMessage(streamID: 1, [1]) else { Issue.record("credit not added"); return }

        let capped = H.server(settings: ConnectionSettings(initialStreamCredit: 0xFFFF_FFFF))
        #expect(capped.machine.peerInitialCredit == ConnectionLimits.maxInitialStreamCredit)
    }

    @Test("§5 credit back: one CREDIT per half window of consumed requests, none after the client half-closed")
    func inboundCredit() throws {
        var server = H.server()
        _ = server.receive(H.headers(1, H.clientStreaming))
        server.machine.consumed(streamID: 1, count: 31)
        #expect(server.written().isEmpty)
        server.machine.consumed(streamID: 1, count: 1)
        let frames = server.written()
        #expect(frames.map(\.type) == [.credit])
        #expect(try frames.first?.decodeCredit() == 32)
        _ = server.receive(Frame(type: .end, streamID: 1))
        server.machine.consumed(streamID: 1, count: 32)
        #expect(server.written().isEmpty)
    }

    @Test("§5/§7 a response larger than the client's max_frame_size is refused RESOURCE_EXHAUSTED; STATUS is cut to fit")
    func responseTooLarge() {
        var server = H.server(settings: ConnectionSettings(maxFrameSize: 16))
        _ = server.receive(H.headers(1, H.unary), .message(streamID: 1, [1], endStream: true))
        server.machine.finishCall(streamID: 1, response: [UInt8](repeating: 0, count: 17), status: .ok)
        let frames = server.written()
        #expect(frames.map { $0.status?.code } == [.resourceExhausted])
        #expect(frames.allSatisfy { $0.payload.readableBytes <= 16 })
    }

    @Test("§6 deadline: the server ends the call with STATUS DEADLINE_EXCEEDED when its timer fires")
    func deadline() {
        var server = H.server()
        _ = server.receive(H.headers(1, H.unary, timeoutUs: 1_000))
        let expired = server.machine.deadlineExpired(streamID: 1, timeout: .milliseconds(1))
        #expect(expired?.code == .deadlineExceeded)
        #expect(server.written().map { $0.status?.code } == [.deadlineExceeded])
        let again = server.machine.deadlineExpired(streamID: 1, timeout: .milliseconds(1))
        #expect(again == nil)
    }
}
