import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport
import Testing

@Suite("RPC over a real Unix socket: the four call shapes", .timeLimit(.minutes(3)))
struct RPCCallShapeTests {
    @Test("unary: health and echo")
    func unary() async throws {
        try await withTestServer { socket, _ in
            let client = SOMClient(socketPath: socket)
            let health = try await client.health()
            #expect(health.status == .serving)
            #expect(health.version == "test")
            let echoed = try await client.echo(EchoMessage(payload: [1, 2, 3]))
            #expect(echoed.payload == [1, 2, 3])
            await client.close()
        }
    }

    @Test("server streaming: 1,000 messages, more than the credit window")
    func serverStreaming() async throws {
        try await withTestServer { socket, _ in
            let client = RPCClient(socketPath: socket)
            let call = try await client.open("/som.v1.Admin/EchoStream", shape: .serverStreaming)
            try await call.send(EchoMessage(payload: [7], repeat: 1000).encoded(), endStream: true)
            var count = 0
            for try await bytes in call.responses {
                #expect(try EchoMessage(decoding: bytes).payload == [7])
                count += 1
            }
            #expect(count == 1000)
            await client.close()
        }
    }

    @Test("client streaming: 500 messages collected into one answer")
    func clientStreaming() async throws {
        try await withTestServer { socket, _ in
            let client = RPCClient(socketPath: socket)
            let call = try await client.open("/som.v1.Admin/EchoCollect", shape: .clientStreaming)
            for index in 0..<500 { try await call.send(EchoMessage(payload: [UInt8(index % 256)]).encoded()) }
            call.finishSending()
            var answers: [EchoMessage] = []
            for try await bytes in call.responses { answers.append(try EchoMessage(decoding: bytes)) }
            #expect(answers.count == 1)
            #expect(answers.first?.repeat == 500)
            #expect(answers.first?.payload.count == 500)
            await client.close()
        }
    }

    @Test("bidirectional: each message echoed in order while sending")
    func bidirectional() async throws {
        try await withTestServer { socket, _ in
            let client = RPCClient(socketPath: socket)
            let call = try await client.open("/som.v1.Admin/EchoBidi", shape: .bidirectional)
            var iterator = call.responses.makeAsyncIterator()
            for index in 0..<200 {
                try await call.send(EchoMessage(repeat: UInt32(index)).encoded())
                let reply = try #require(try await iterator.next())
                #expect(try EchoMessage(decoding: reply).repeat == UInt32(index))
            }
            call.finishSending()
            #expect(try await iterator.next() == nil)
            await client.close()
        }
    }

    @Test("1,000 concurrent calls on one connection, and 50 connections at once")
    func concurrency() async throws {
        try await withTestServer { socket, server in
            let shared = SOMClient(socketPath: socket)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let reply = try await shared.echo(EchoMessage(repeat: UInt32(index)))
                        #expect(reply.repeat == UInt32(index))
                    }
                }
                try await group.waitForAll()
            }
            let clients = (0..<50).map { _ in SOMClient(socketPath: socket) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        for call in 0..<10 {
                            let reply = try await client.echo(EchoMessage(repeat: UInt32(index * 100 + call)))
                            #expect(reply.repeat == UInt32(index * 100 + call))
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(server.connectionCount == 51)
            for client in clients { await client.close() }
            await shared.close()
        }
    }

    @Test("an unknown method is UNIMPLEMENTED; the connection keeps working")
    func unknownMethod() async throws {
        try await withTestServer { socket, _ in
            let client = RPCClient(socketPath: socket)
            await #expect(throws: RPCError.self) {
                _ = try await client.unary("/som.v1.Nope/Nothing", request: [])
            }
            do {
                _ = try await client.unary("/som.v1.Nope/Nothing", request: [])
            } catch let error as RPCError {
                #expect(error.code == .unimplemented)
            }
            #expect(try await client.unary("/som.v1.Admin/Echo", EchoMessage(repeat: 5), as: EchoMessage.self).repeat == 5)
            await client.close()
        }
    }
}
