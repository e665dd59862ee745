import ArgumentParser
import Foundation
import SOMTransport

/// `som-bench echo`: what the RPC transport costs, with the Admin echo methods (no storage).
struct EchoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Unary round-trip latency and streaming throughput of the RPC transport (Admin/Echo*).",
        discussion: """
            Cases (each warmed up, then measured for --seconds):
              unary_c1             closed-loop Echo calls, 1 caller
              unary_c<N>           --callers callers sharing one connection
              unary_c<N>_conn<N>   --callers callers, one connection each
              stream_<size>        EchoStream: server-streaming msgs/s, MB/s
              collect_<size>       EchoCollect: client-streaming msgs/s, MB/s

            Examples:
              som-bench echo
              som-bench echo --seconds 5 --sizes 32,1024 --json > echo.json
              som-bench echo --socket ./var/som.sock --cases unary
            """)

    enum Kind: String, CaseIterable, ExpressibleByArgument {
        case unary, stream, collect
    }

    @OptionGroup var server: ServerOptions
    @OptionGroup var timing: RunOptions

    @Option(name: .long, help: ArgumentHelp("Which cases to run (comma-separated: unary, stream, collect).", valueName: "list"))
    var cases = "unary,stream,collect"

    @Option(name: .long, help: "Concurrent callers in the parallel unary cases.")
    var callers = 16

    @Option(name: .long, help: ArgumentHelp("Payload bytes of each unary Echo.", valueName: "bytes"))
    var unaryPayload = 32

    @Option(name: .long, help: ArgumentHelp("Payload sizes of the streaming cases (comma-separated).", valueName: "bytes,..."))
    var sizes = "32,200,1024"

    @Option(name: .long, help: ArgumentHelp("Messages per EchoStream call.", valueName: "n"))
    var streamBatch = 10_000

    @Option(name: .long, help: ArgumentHelp("Messages per EchoCollect call (its reply holds them all, so batch x size < 4 MiB).", valueName: "n"))
    var collectBatch = 1000

    @Option(name: .long, help: ArgumentHelp("The client's initial_stream_credit in the streaming cases (the server reads at most 1024).", valueName: "messages"))
    var window = 64

    /// A reply must fit the client's 4 MiB frame limit, with room for the protobuf overhead.
    private static let maxCollectBytes = (4 << 20) - 4096

    func validate() throws {
        _ = try kinds()
        let sizes = try payloadSizes()
        guard (1...1024).contains(callers) else { throw ValidationError("--callers must be 1...1024 (the server allows 1024 streams per connection)") }
        guard (0...(1 << 20)).contains(unaryPayload) else { throw ValidationError("--unary-payload must be 0...1048576 bytes") }
        guard streamBatch >= 1, streamBatch <= Int(UInt32.max) else { throw ValidationError("--stream-batch must be at least 1") }
        guard collectBatch >= 1 else { throw ValidationError("--collect-batch must be at least 1") }
        guard (1...1024).contains(window) else { throw ValidationError("--window must be 1...1024") }
        if try kinds().contains(.collect), let largest = sizes.max(), collectBatch * largest > Self.maxCollectBytes {
            throw ValidationError(
                "--collect-batch \(collectBatch) x \(largest) B exceeds what one EchoCollect reply may carry (4 MiB); lower --collect-batch")
        }
    }

    func run() async throws {
        TaskExecutor.useEventLoops()
        do {
            let report = try await BenchServer.run(server) { info in try await measure(info) }
            try report.emit(json: timing.json)
        } catch let error as BenchError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func measure(_ info: ServerInfo) async throws -> GroupReport {
        var report = GroupReport(group: "echo", server: info, run: timing)
        let steps = plan(socket: info.socket)
        for (number, step) in steps.enumerated() {
            FileHandle.standardError.write(Data("[\(number + 1)/\(steps.count)] \(step.name)\n".utf8))
            report.results.append(try await step.run())
        }
        return report
    }

    private struct Step {
        let name: String
        let run: () async throws -> CaseResult
    }

    private func plan(socket: String) -> [Step] {
        let kinds = (try? kinds()) ?? []
        let sizes = (try? payloadSizes()) ?? []
        let (timing, callers, unaryPayload, streamBatch, collectBatch, window) = (timing, callers, unaryPayload, streamBatch, collectBatch, window)
        var steps: [Step] = []
        if kinds.contains(.unary) {
            steps.append(Step(name: "unary_c1") {
                try await EchoUnary.measure(name: "unary_c1", socket: socket, callers: 1, connections: 1, payload: unaryPayload, timing: timing)
            })
            if callers > 1 {
                steps.append(Step(name: "unary_c\(callers)") {
                    try await EchoUnary.measure(
                        name: "unary_c\(callers)", socket: socket, callers: callers, connections: 1, payload: unaryPayload, timing: timing)
                })
                steps.append(Step(name: "unary_c\(callers)_conn\(callers)") {
                    try await EchoUnary.measure(
                        name: "unary_c\(callers)_conn\(callers)", socket: socket, callers: callers, connections: callers,
                        payload: unaryPayload, timing: timing)
                })
            }
        }
        if kinds.contains(.stream) {
            for size in sizes {
                steps.append(Step(name: "stream_\(size)") {
                    try await EchoServerStream.measure(socket: socket, payload: size, batch: streamBatch, window: window, timing: timing)
                })
            }
        }
        if kinds.contains(.collect) {
            for size in sizes {
                steps.append(Step(name: "collect_\(size)") {
                    try await EchoClientStream.measure(socket: socket, payload: size, batch: collectBatch, timing: timing)
                })
            }
        }
        return steps
    }

    private func kinds() throws -> Set<Kind> {
        var kinds = Set<Kind>()
        for word in cases.split(separator: ",") {
            let trimmed = word.trimmingCharacters(in: .whitespaces)
            guard let kind = Kind(rawValue: trimmed) else {
                throw ValidationError("unknown case kind '\(trimmed)' in --cases; use \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            kinds.insert(kind)
        }
        guard !kinds.isEmpty else { throw ValidationError("--cases needs at least one of unary, stream, collect") }
        return kinds
    }

    private func payloadSizes() throws -> [Int] {
        let sizes = try sizes.split(separator: ",").map { word -> Int in
            guard let size = Int(word.trimmingCharacters(in: .whitespaces)), (1...(1 << 20)).contains(size) else {
                throw ValidationError("--sizes: '\(word)' is not a payload size of 1...1048576 bytes")
            }
            return size
        }
        guard !sizes.isEmpty else { throw ValidationError("--sizes needs at least one size") }
        return sizes
    }
}
