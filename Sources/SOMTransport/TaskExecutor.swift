import NIOCore
import NIOPosix

/// Where Swift concurrency runs in the som executables.
public enum TaskExecutor {
    /// Makes the shared NIO event loops Swift concurrency's global executor, for the whole process.
    ///
    /// By default a handler's task runs on the cooperative pool and every response hops back to the
    /// connection's event loop: measured at about 15 context switches and 11 futex calls per unary
    /// call between client and server. On the event loops the same call costs about two switches,
    /// and unary and streaming throughput roughly double (docs/benchmarks.md). The price: no task may
    /// block its thread — all blocking work (LMDB commits, fsync) already runs on the store's own
    /// writer thread. Call first thing in `main`, before any task starts; later calls do nothing.
    /// - Returns: whether the executor was installed.
    @discardableResult
    public static func useEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
