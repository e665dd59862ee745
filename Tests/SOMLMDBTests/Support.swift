import SOMLMDB
import SOMTestSupport

/// UTF-8 bytes of a string, for readable keys and values.
func b(_ string: String) -> [UInt8] {
    Array(string.utf8)
}

/// Opens a fresh environment in its own temporary directory, runs `body`, then closes it.
@discardableResult
func withEnvironment<R>(
    _ options: Environment.Options = Environment.Options(),
    _ body: (Environment, TemporaryDirectory) throws -> R
) async throws -> R {
    try await withTemporaryDirectory(prefix: "som-lmdb") { dir in
        let env = try Environment(path: dir.appending("env"), options: options)
        defer { env.close() }
        return try body(env, dir)
    }
}

/// Collects a scan into (key, value) pairs.
func collect(
    _ txn: borrowing ReadTransaction,
    _ db: Database,
    _ range: KeyRange = .all,
    reverse: Bool = false,
    limit: Int = .max
) throws -> [Pair] {
    var pairs: [Pair] = []
    try txn.scan(in: db, range: range, reverse: reverse) { key, value in
        pairs.append(Pair(key: key, value: value))
        return pairs.count < limit ? .continue : .stop
    }
    return pairs
}

struct Pair: Equatable, CustomStringConvertible {
    var key: [UInt8]
    var value: [UInt8]
    var description: String { "\(key)=\(value)" }
}

/// An error type the tests throw from transaction bodies, to check it comes out unchanged.
struct BodyError: Error, Equatable {
    var tag: Int
}
