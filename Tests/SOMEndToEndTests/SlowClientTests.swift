import NIOCore
import SOMCodec
import SOMRPC
import SOMTestSupport
import SOMTransport
import Testing

@Suite("Clients that read slowly or announce small limits: bounded memory, frames that fit", .timeLimit(.minutes(3)))
struct SlowClientTests {
    @Test("a client with huge credit that never reads holds the server to its buffer limits; all is released when it goes")
    func neverReadingClientIsBounded() async throws {
        let queued = 256 << 10, high = 64 << 10
        try await withTestServer(configure: {
            $0.maxQueuedResponseBytes = queued
            $0.writeBufferHighWaterMark = high
            $0.writeBufferLowWaterMark = 16 << 10
        }) { socket, server in
            let raw = try await RawConnection(socketPath: socket, reading: false)
            try await raw.sendPrefaceAndSettings(ConnectionSettings(maxFrameSize: 4 << 20, initialStreamCredit: .max))
            try await raw.send(.headers(streamID: 1, CallHeader(method: "/som.v1.Admin/EchoStream")))
            let request = EchoMessage(payload: [UInt8](repeating: 7, count: 1024), repeat: 100_000)
            try await raw.send(.message(streamID: 1, request.encoded(), endStream: true))

            // The bound: the handlers' queue, NIO's high water mark, one message past it, one waiting message.
            let bound = queued + high + 2 * 1100
            // Once the kernel's socket buffer is full the server holds bytes; how many depends on
            // timing (NIO's hysteresis may stop it anywhere between the water marks), the bound does not.
            // Generous: in a full parallel run the handler task can wait seconds for a thread.
            let filled = try await eventuallyAsync(timeout: .seconds(30)) { await server.bufferedOutboundBytes() >= 1024 }
            let held = await server.bufferedOutboundBytes()
            #expect(filled, "the server never filled the socket: \(held) bytes held, \(server.connectionCount) connections, closed: \(raw.isClosed)")
            var largest = 0
            for _ in 0..<100 {
                largest = max(largest, await server.bufferedOutboundBytes())
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(largest <= bound, "server held \(largest) bytes for one stuck client (bound \(bound))")

            try await raw.close()
            let released = try await eventuallyAsync { server.connectionCount == 0 }
            #expect(released)
            #expect(await server.bufferedOutboundBytes() == 0)
        }
    }

    @Test("a client announcing credit 0xFFFFFFFF gets 1,024 messages until it grants more")
    func initialCreditIsCapped() async throws {
        let probe = Probe()
        try await withTestServer(router: probe.router) { socket, _ in
            let raw = try await RawConnection(socketPath: socket)
            try await raw.sendPrefaceAndSettings(ConnectionSettings(initialStreamCredit: .max))
            try await raw.send(.headers(streamID: 1, CallHeader(method: "/test.Probe/Firehose")))
            try await raw.send(.message(streamID: 1, EchoMessage().encoded(), endStream: true))
            // The client reads everything but grants nothing: the handler's 1,025th write is held.
            let cap = ConnectionLimits.maxInitialStreamCredit
            try await eventually { probe.attempted.value > cap }
            #expect(probe.written.value == cap)
            #expect(probe.attempted.value == cap + 1)
            try await raw.send(.credit(streamID: 1, 10))
            try await eventually { probe.attempted.value > cap + 10 }
            #expect(probe.written.value == cap + 10)
            try await raw.close()
        }
    }

    @Test("with a 16-byte max_frame_size, STATUS and GOAWAY are cut to fit")
    func tinyMaxFrameSize() async throws {
        try await withTestServer { socket, _ in
            let raw = try await RawConnection(socketPath: socket)
            try await raw.sendPrefaceAndSettings(ConnectionSettings(maxFrameSize: 16))
            try await raw.send(.headers(streamID: 1, CallHeader(method: "/som.v1.Nowhere/AtAll")))
            let frame = try await raw.nextFrame { $0.type == .status }
            #expect(frame.payload.readableBytes <= 16)
            let status = RPCStatus(try frame.decodePayload(as: CallStatus.self))
            #expect(status.code == .unimplemented)
            #expect(!status.message.isEmpty && "unknown method /som.v1.Nowhere/AtAll".hasPrefix(status.message))

            try await raw.sendBytes([0, 0, 0, 0, 0x42, 0, 0, 0, 0, 1])  // unknown frame type: connection error
            let goAway = try await raw.nextFrame { $0.type == .goAway }
            #expect(goAway.payload.readableBytes <= 16)
            #expect(try goAway.decodePayload(as: GoAway.self).code == RPCStatus.Code.invalidArgument.rawValue)
            try await raw.close()
        }
    }

    @Test("a max_frame_size below 16 is a connection error")
    func maxFrameSizeBelowMinimum() async throws {
        try await withTestServer { socket, _ in
            let raw = try await RawConnection(socketPath: socket)
            try await raw.sendPrefaceAndSettings(ConnectionSettings(maxFrameSize: 8))
            let goAway = try await raw.nextFrame { $0.type == .goAway }
            #expect(try goAway.decodePayload(as: GoAway.self).code == RPCStatus.Code.invalidArgument.rawValue)
            try await eventually { raw.isClosed }
            try await raw.close()
        }
    }
}
