import ArgumentParser
import SOMCodec
import SOMRPC

/// A failure of somctl itself (bad file, bad input) rather than of the server.
struct CLIError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

/// Prints a failure as `error: CODE: message` (server statuses) or `error: message`, and returns
/// the exit code to throw: operators and scripts get one readable line, never a stack trace.
func fail(_ error: any Error) -> ExitCode {
    if let exit = error as? ExitCode { return exit }
    switch error {
    case let rpc as RPCError:
        StandardError.write("error: \(rpc.code.name): \(rpc.message)\n")
    case let mapping as JSONMappingError:
        StandardError.write("error: invalid JSON: \(mapping)\n")
    default:
        StandardError.write("error: \(error)\n")
    }
    return ExitCode(1)
}

/// Runs a command body, turning any failure into `fail`'s one line and exit code.
func reportingFailures(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw fail(error)
    }
}
