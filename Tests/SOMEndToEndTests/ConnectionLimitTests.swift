import Foundation
import NIOCore
import SOMCodec
import SOMRPC
import SOMTestSupport
import SOMTransport
import Testing

/// Open descriptors of this process (the in-process server's and the test's own).
func openDescriptorCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
}

/// Polls an async condition until it holds or `timeout` passes; returns whether it held.
func eventuallyAsync(timeout: Duration = .seconds(10), _ condition: @Sendable () async -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

@Suite("Connection limit and handshake time-out: refusals are answered and closed, operators get in", .timeLimit(.minutes(3)))
struct ConnectionLimitTests {
    @Test("100 connections over the limit each get preface + GOAWAY RESOURCE_EXHAUSTED, are closed, and leave no descriptor behind")
    func refusalsAreAnsweredAndClosed() async throws {
        try await withTestServer(configure: {
            $0.maxConnections = 2
            $0.isPrivileged = { _ in false }
        }) { socket, server in
            // Two handshaken connections fill the limit; they cannot be evicted.
            let held = [try await RawConnection(socketPath: socket), try await RawConnection(socketPath: socket)]
            for raw in held { try await raw.confirmedHandshake() }
            try await eventually { server.connectionCount == 2 }
            let before = openDescriptorCount()
            for _ in 0..<100 {
                let raw = try await RawConnection(socketPath: socket)
                let goAway = try await raw.nextFrame { $0.type == .goAway }.decodePayload(as: GoAway.self)
                #expect(goAway.code == RPCStatus.Code.resourceExhausted.rawValue)
                #expect(goAway.reason == "too many connections (limit 2)")
                try await eventually { raw.isClosed }
                try await raw.close()
            }
            let released = try await eventuallyAsync { openDescriptorCount() <= before }
            #expect(released, "descriptors before: \(before), after: \(openDescriptorCount())")
            #expect(server.connectionCount == 2)
            for raw in held { try await raw.close() }
        }
    }

    @Test("a connection that sends nothing, or only its preface, is closed after the handshake time-out; a handshaken one stays")
    func handshakeTimeout() async throws {
        try await withTestServer(configure: { $0.handshakeTimeout = .seconds(2) }) { socket, server in
            let good = try await RawConnection(socketPath: socket)
            try await good.confirmedHandshake()
            let silent = try await RawConnection(socketPath: socket)
            let prefaceOnly = try await RawConnection(socketPath: socket)
            // On a loaded machine the time-out may already have closed it: the GOAWAY is read either way.
            try? await prefaceOnly.sendBytes(Preface.bytes)
            for raw in [silent, prefaceOnly] {
                let goAway = try await raw.nextFrame { $0.type == .goAway }.decodePayload(as: GoAway.self)
                #expect(goAway.code == RPCStatus.Code.deadlineExceeded.rawValue)
                #expect(goAway.reason.contains("SETTINGS"))
                try await eventually { raw.isClosed }
                try await raw.close()
            }
            // The good connection was opened before them, so its time-out would have struck by now.
            try await good.send(.headers(streamID: 1, CallHeader(method: "/som.v1.Admin/Echo")))
            try await good.send(.message(streamID: 1, EchoMessage(repeat: 7).encoded(), endStream: true))
            let reply = try await good.nextFrame { $0.type == .message && $0.streamID == 1 }
            #expect(try reply.decodePayload(as: EchoMessage.self).repeat == 7)
            #expect(!good.isClosed)
            try await eventually { server.connectionCount == 1 }
            try await good.close()
        }
    }

    @Test("Health gets through when idle connections that never finished their handshake fill the limit (the oldest is evicted)")
    func evictsTheOldestUnfinishedHandshake() async throws {
        try await withTestServer(configure: {
            $0.maxConnections = 4
            $0.isPrivileged = { _ in false }
            $0.handshakeTimeout = .seconds(60)
        }) { socket, server in
            var idle: [RawConnection] = []
            for index in 0..<4 {
                let raw = try await RawConnection(socketPath: socket)
                if index % 2 == 0 { try await raw.sendBytes(Preface.bytes) }
                idle.append(raw)
                // Admitted one by one, so the server's accept order is ours (idle[0] is the oldest).
                try await eventually { server.connectionCount == index + 1 }
            }
            #expect(try await SOMClientProbe.health(socket) == .serving)
            let goAway = try await idle[0].nextFrame { $0.type == .goAway }.decodePayload(as: GoAway.self)
            #expect(goAway.code == RPCStatus.Code.resourceExhausted.rawValue)
            #expect(goAway.reason.contains("evicted"))
            let oldest = idle[0]
            try await eventually { oldest.isClosed }
            for raw in idle { try await raw.close() }
        }
    }

    @Test("a privileged peer (root or somd's uid) gets a reserved slot when handshaken connections fill the limit")
    func privilegedPeerUsesReservedSlot() async throws {
        try await withTestServer(configure: { $0.maxConnections = 2 }) { socket, server in
            // The test runs as the server's own uid: privileged by default.
            let held = [try await RawConnection(socketPath: socket), try await RawConnection(socketPath: socket)]
            for raw in held { try await raw.confirmedHandshake() }
            try await eventually { server.connectionCount == 2 }
            #expect(try await SOMClientProbe.health(socket) == .serving)
            for raw in held { try await raw.close() }
        }
    }
}
