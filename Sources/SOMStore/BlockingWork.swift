import Foundation

/// Runs blocking disk work (file copies, fsync, long read walks) on a thread of its own, so it
/// never holds an event loop or a Swift concurrency thread.
public enum BlockingWork {
    public static func run<Output: Sendable>(
        _ name: String, _ body: @escaping @Sendable () throws(StoreError) -> Output
    ) async throws(StoreError) -> Output {
        let result: Result<Output, StoreError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do throws(StoreError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = name
            thread.start()
        }
        return try result.get()
    }
}
