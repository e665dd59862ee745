import Foundation
import Logging
import NIOCore
import NIOPosix
import SOMCodec
import SOMRPC
import SOMTestSupport
import SOMTransport
import Testing

/// Handlers that let a test see what the server side did.
final class Probe: Sendable {
    let cancelled = LockedBox(false)
    let written = LockedBox(0)
    let attempted = LockedBox(0)
    let finished = LockedBox(false)
    let started = LockedBox(false)

    var router: Router {
        var router = Router()
        let probe = self
        router.unary("test.Probe", "Slow") { (message: EchoMessage, _) -> EchoMessage in
            // Sleeps `repeat` milliseconds; notices cancellation.
            probe.started.value = true
            do {
                try await Task.sleep(for: .milliseconds(Int(message.repeat)))
            } catch {
                probe.cancelled.value = true
                throw error
            }
            probe.finished.value = true
            return message
        }
        router.serverStreaming("test.Probe", "Firehose") { (_: EchoMessage, writer: MessageWriter<EchoMessage>, _) in
            do {
                while true {
                    probe.attempted.value += 1
                    try await writer.write(EchoMessage(payload: [UInt8](repeating: 1, count: 1024)))
                    probe.written.value += 1
                }
            } catch {
                probe.cancelled.value = true
                throw error
            }
        }
        return router
    }
}

@Suite("RPC behaviour: deadlines, cancellation, flow control, shutdown, socket hygiene, access", .timeLimit(.minutes(3)))
struct RPCBehaviourTests {
    @Test("a deadline ends the call with DEADLINE_EXCEEDED and cancels the handler")
    func deadline() async throws {
        let probe = Probe()
        try await withTestServer(router: probe.router) { socket, _ in
            let client = RPCClient(socketPath: socket)
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.unary("/test.Probe/Slow", EchoMessage(repeat: 5_000), as: EchoMessage.self,
                                           options: CallOptions(timeout: .milliseconds(100)))
            }
            #expect(error?.code == .deadlineExceeded)
            // On a loaded machine the CANCEL can beat the request to the handler; either way,
            // a handler that started must have been cancelled, and none may finish.
            try await eventually { probe.started.value == probe.cancelled.value }
            #expect(!probe.finished.value)
            await client.close()
        }
    }

    @Test("the server enforces the deadline from the header on its own")
    func serverSideDeadline() async throws {
        let probe = Probe()
        try await withTestServer(router: probe.router) { socket, _ in
            let raw = try await RawConnection(socketPath: socket)
            try await raw.handshake()
            try await raw.send(.headers(streamID: 1, CallHeader(method: "/test.Probe/Slow", timeoutUs: 50_000)))
            try await raw.send(.message(streamID: 1, EchoMessage(repeat: 5_000).encoded(), endStream: true))
            let frame = try await raw.nextFrame { $0.type == .status }
            #expect(RPCStatus(try frame.decodePayload(as: CallStatus.self)).code == .deadlineExceeded)
            // On a loaded machine the deadline can strike before the request reaches the handler;
            // either way, a handler that started must have been cancelled, and none may finish.
            try await eventually { probe.started.value == probe.cancelled.value }
            #expect(!probe.finished.value)
            try await raw.close()
        }
    }

    @Test("a client cancel mid-stream stops the server's handler")
    func clientCancel() async throws {
        let probe = Probe()
        try await withTestServer(router: probe.router) { socket, _ in
            let client = RPCClient(socketPath: socket)
            let call = try await client.open("/test.Probe/Firehose", shape: .serverStreaming)
            try await call.send(EchoMessage().encoded(), endStream: true)
            var received = 0
            for try await _ in call.responses {
                received += 1
                if received == 10 { break }
            }
            call.cancel()
            try await eventually { probe.cancelled.value }
            await client.close()
        }
    }

    @Test("a reader that stops reading holds the writer to one credit window")
    func slowReaderBoundsMemory() async throws {
        let probe = Probe()
        try await withTestServer(router: probe.router) { socket, _ in
            let client = RPCClient(socketPath: socket)
            let call = try await client.open("/test.Probe/Firehose", shape: .serverStreaming)
            try await call.send(EchoMessage().encoded(), endStream: true)
            // Read nothing. Exactly the client's initial credit (64) of writes complete; the next one
            // has started and waits (were it not held, the handler would run far past it).
            let window = ConnectionLimits().initialStreamCredit
            try await eventually { probe.attempted.value > window }
            #expect(probe.written.value == window)
            #expect(probe.attempted.value == window + 1)
            call.cancel()
            await client.close()
        }
    }

    @Test("graceful shutdown lets an in-flight call finish, then refuses new ones")
    func shutdownDrains() async throws {
        let probe = Probe()
        try await withTestServer(router: probe.router) { socket, server in
            let client = RPCClient(socketPath: socket)
            async let slow = client.unary("/test.Probe/Slow", EchoMessage(repeat: 300), as: EchoMessage.self)
            try await eventually { probe.started.value }
            server.beginGracefulShutdown()
            #expect(try await slow.repeat == 300)
            #expect(probe.finished.value)
            await #expect(throws: RPCError.self) {
                _ = try await client.unary("/test.Probe/Slow", EchoMessage(repeat: 1), as: EchoMessage.self)
            }
        }
    }

    @Test("a second server on the same path refuses to start")
    func secondServerRefused() async throws {
        try await withTestServer { socket, _ in
            let second = RPCServer(configuration: ServerConfiguration(socketPath: socket), router: Router(), logger: .init(label: "second"))
            await #expect(throws: ServerStartError.self) { try await second.run() }
            do { try await second.run() } catch let error as ServerStartError {
                #expect(error.description == "another server is listening on \(socket)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
            // The first server is untouched.
            let status = try await SOMClientProbe.health(socket)
            #expect(status == .serving)
        }
    }

    @Test("a test server that cannot start fails the test at once instead of hanging it")
    func harnessReportsStartFailure() async throws {
        let tooLong = "/tmp/" + String(repeating: "x", count: 200) + ".sock"
        await #expect(throws: ServerStartError.self) {
            try await withTestServer(configure: { $0.socketPath = tooLong }) { _, _ in }
        }
    }

    @Test("a stale socket file from a dead server is replaced")
    func staleSocketRecovered() async throws {
        let directory = try TemporaryDirectory(prefix: "som-stale")
        defer { directory.remove() }
        let path = directory.appending("som.sock")
        // Leave a socket file with nobody listening, as a killed server does (Python exits without unlinking).
        let python = try #require(ProcessRunner.which("python3"))
        let made = try ProcessRunner.run(python, ["-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(FileManager.default.fileExists(atPath: path))
        try await withTestServer(configure: { $0.socketPath = path }) { socket, _ in
            let status = try await SOMClientProbe.health(socket)
            #expect(status == .serving)
        }
    }

    @Test("a caller outside the allow-list gets PERMISSION_DENIED, not a dropped socket")
    func permissionDenied() async throws {
        try await withTestServer(configure: { configuration in
            configuration.authorize = { peer, method in
                method.method == "Health" || peer.uid == 4_000_000_000 ? nil : "uid \(peer.uid) (gid \(peer.gid)) may not call \(method.path)"
            }
        }) { socket, _ in
            let client = RPCClient(socketPath: socket)
            do {
                _ = try await client.unary("/som.v1.Admin/Echo", EchoMessage(), as: EchoMessage.self)
                Issue.record("the call should have been refused")
            } catch let error as RPCError {
                #expect(error.code == .permissionDenied)
                #expect(error.message.contains("uid \(getuid())"))
            }
            // Same connection, an allowed method: still served.
            #expect(try await client.unary("/som.v1.Admin/Health", HealthRequest(), as: HealthResponse.self).status == .serving)
            await client.close()
        }
    }

    @Test("socket file mode is applied")
    func socketMode() async throws {
        try await withTestServer(configure: { $0.socketMode = 0o600 }) { socket, _ in
            let attributes = try FileManager.default.attributesOfItem(atPath: socket)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }
}

/// Polls `condition` until it holds or five seconds pass (CI machines are shared).
func eventually(_ condition: @Sendable () -> Bool) async throws {
    for _ in 0..<500 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition did not become true within 5 s")
}

enum SOMClientProbe {
    static func health(_ socket: String) async throws -> ServingStatus {
        let client = RPCClient(socketPath: socket)
        defer { Task { await client.close() } }
        return try await client.unary("/som.v1.Admin/Health", HealthRequest(), as: HealthResponse.self).status
    }
}
