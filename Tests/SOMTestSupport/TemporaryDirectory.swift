import Foundation

/// A fresh directory under the system temp folder, removed by `remove()`.
///
/// Each test gets its own so no two tests ever share a database or socket path.
public struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates a new, empty, uniquely named directory.
    /// - Parameter prefix: a readable prefix for the directory name.
    public init(prefix: String = "som-test") throws {
        // Short names keep Unix socket paths inside sun_path's 108 bytes.
        let base = ProcessInfo.processInfo.environment["SOM_TEST_TMP"] ?? "/tmp"
        let name = "\(prefix)-\(UInt32.random(in: 0...UInt32.max))"
        let url = URL(fileURLWithPath: base).appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        self.path = url.path
    }

    /// A path inside the directory.
    public func appending(_ component: String) -> String {
        (path as NSString).appendingPathComponent(component)
    }

    /// Deletes the directory and everything in it; errors are ignored because cleanup must not fail a test.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a fresh temporary directory that is removed afterwards, whatever happens.
public func withTemporaryDirectory<R>(
    prefix: String = "som-test",
    _ body: (TemporaryDirectory) async throws -> R
) async throws -> R {
    let dir = try TemporaryDirectory(prefix: prefix)
    defer { dir.remove() }
    return try await body(dir)
}
