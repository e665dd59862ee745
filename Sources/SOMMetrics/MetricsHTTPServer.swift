public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
public import ServiceLifecycle

/// Serves `GET /metrics` (Prometheus text format) over HTTP/1.1 with NIO's codec, on an address
/// that should be loopback: it has no authentication. Other paths get 404, other methods 405.
public struct MetricsHTTPServer: Service {
    /// Where to listen, as given to `--metrics-listen`.
    public let host: String
    public let port: Int
    private let scrape: @Sendable () async -> [UInt8]
    private let logger: Logger

    /// A server for `scrape`, which renders one scrape's text.
    public init(host: String, port: Int, logger: Logger, scrape: @escaping @Sendable () async -> [UInt8]) {
        self.host = host
        self.port = port
        self.logger = logger
        self.scrape = scrape
    }

    /// Parses `HOST:PORT` (`[::1]:9464` for IPv6); nil when it is not that.
    public static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            return nil
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    /// Listens until graceful shutdown.
    public func run() async throws {
        let scrape = self.scrape
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(scrape: scrape))
                }
            }
            .bind(host: host, port: port)
            .get()
        logger.info("metrics listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "\(host):\(port)")"])
        try? await gracefulShutdown()
        try? await channel.close()
    }
}

/// Answers one request per connection (`Connection: close`): scrapes are rare and small.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let scrape: @Sendable () async -> [UInt8]
    private var request: HTTPRequestHead?

    init(scrape: @escaping @Sendable () async -> [UInt8]) {
        self.scrape = scrape
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard path == "/metrics" else {
            return send(.notFound, "only /metrics is served here\n", version: head.version, context: context)
        }
        guard head.method == .GET || head.method == .HEAD else {
            return send(.methodNotAllowed, "GET /metrics\n", version: head.version, context: context)
        }
        // The figures come from store reads and the scheduler actor: never on the event loop.
        let promise = context.eventLoop.makePromise(of: [UInt8].self)
        promise.completeWithTask { [scrape] in await scrape() }
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let isHead = head.method == .HEAD
        promise.futureResult.whenSuccess { body in
            let (handler, context) = bound.value
            handler.send(.ok, body, contentType: "text/plain; version=0.0.4; charset=utf-8", omitBody: isHead,
                         version: head.version, context: context)
        }
    }

    private func send(_ status: HTTPResponseStatus, _ text: String, version: HTTPVersion, context: ChannelHandlerContext) {
        send(status, Array(text.utf8), contentType: "text/plain; charset=utf-8", omitBody: false, version: version, context: context)
    }

    private func send(_ status: HTTPResponseStatus, _ body: [UInt8], contentType: String, omitBody: Bool,
                      version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(body.count)")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if !omitBody {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
