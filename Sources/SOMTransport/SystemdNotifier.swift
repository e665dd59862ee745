public import Foundation
public import Logging
import NIOCore
import NIOPosix

/// Tells systemd about the service's state (`sd_notify(3)`, without libsystemd): one datagram per
/// message to the Unix socket named by `$NOTIFY_SOCKET`, through NIO so no pointer is handled here.
///
/// Without `NOTIFY_SOCKET` (not started by systemd, or `Type=` is not `notify`) every call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket address; nil when there is no one to tell.
    public let socketPath: String?
    /// Half of `WATCHDOG_USEC` when systemd expects keep-alives from this process, else nil.
    public let watchdogInterval: Duration?
    private let logger: Logger

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                pid: Int32 = ProcessInfo.processInfo.processIdentifier, logger: Logger) {
        self.logger = logger
        self.socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : Self.address($0) }
        let watchdogForUs = environment["WATCHDOG_PID"].map { Int32($0) == pid } ?? true
        if watchdogForUs, let text = environment["WATCHDOG_USEC"], let usec = Int64(text), usec > 0 {
            watchdogInterval = .microseconds(usec / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// The path NIO is given: an abstract-namespace name (`@name`) starts with a NUL byte instead.
    /// NIO passes the whole `sockaddr_un` as the address length, so the name it reaches is `name`
    /// padded with NULs to 107 bytes; systemd's own notify socket is a path (`/run/systemd/notify`),
    /// which is what services see, and abstract names work only with a listener bound the same way.
    static func address(_ value: String) -> String {
        value.hasPrefix("@") ? "\0" + value.dropFirst() : value
    }

    /// `READY=1`: the store is open and the socket accepts connections.
    public func ready(status: String? = nil) async { await send("READY=1" + (status.map { "\nSTATUS=\($0)" } ?? "")) }

    /// `STOPPING=1`: shutdown has begun (in-flight calls drain).
    public func stopping() async { await send("STOPPING=1") }

    /// `WATCHDOG=1`: still alive.
    public func watchdog() async { await send("WATCHDOG=1") }

    /// Sends `WATCHDOG=1` every `watchdogInterval` until the task is cancelled; returns at once without a watchdog.
    public func runWatchdog() async {
        guard let interval = watchdogInterval, socketPath != nil else { return }
        while !Task.isCancelled {
            await watchdog()
            try? await Task.sleep(for: interval)
        }
    }

    /// Sends one notification; a failure is logged, never thrown: systemd being away must not stop the server.
    public func send(_ message: String) async {
        guard let socketPath else { return }
        do {
            let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(to: try SocketAddress(unixDomainSocketPath: socketPath))
                .get()
            defer { channel.close(promise: nil) }
            try await channel.writeAndFlush(channel.allocator.buffer(string: message)).get()
        } catch {
            logger.warning("cannot notify systemd", metadata: ["socket": "\(socketPath)", "message": "\(message)", "error": "\(error)"])
        }
    }
}
