import SOMRPC

/// A failure som-bench explains in one line instead of a stack trace.
struct BenchError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }

    /// Wraps what went wrong in a case so the message says which one.
    init(case name: String, _ error: any Error) {
        if let error = error as? BenchError {
            self.description = "\(name): \(error.description)"
        } else if let rpc = error as? RPCError {
            self.description = "\(name): \(rpc.code.name): \(rpc.message)"
        } else {
            self.description = "\(name): \(error)"
        }
    }
}
