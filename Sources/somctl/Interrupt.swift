import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` until it finishes or the user presses Ctrl-C. An interrupt cancels `body` and counts
/// as a normal end: following a live stream until told to stop is the command's job, not a failure.
func untilInterrupted(_ body: @escaping @Sendable () async throws -> Void) async throws {
    let task = Task(operation: body)
    // Ignored as a signal, seen as an event: the default action would kill us mid-write with status 130.
    signal(SIGINT, SIG_IGN)
    let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { task.cancel() }
    source.resume()
    defer {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
    do {
        try await task.value
    } catch where task.isCancelled {
        return
    }
}
