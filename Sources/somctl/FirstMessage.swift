import ArgumentParser
import SOMClient
import SOMCodec
import SOMRPC
import SOMTransport

extension ConnectionOptions {
    /// The first message of a server stream opened by `open`, or nil when none came within `wait`
    /// seconds (the call's deadline): a pull by hand takes one batch and leaves the rest queued.
    func firstMessage<Message: ProtoMessage>(
        within wait: Double, _ open: (SOMClient, CallOptions) async throws -> TypedResponses<Message>
    ) async throws -> Message? {
        let options = CallOptions(timeout: .milliseconds(Int64((wait * 1000).rounded(.up))))
        return try await client().using { client -> Message? in
            do {
                for try await message in try await open(client, options) { return message }
            } catch let error as RPCError where error.code == .deadlineExceeded {}
            return nil
        }
    }
}

/// `--wait` of the pulls by hand (`gateways pull`, `fieldwork pull`).
struct PullWait: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds to wait for work to come.", valueName: "seconds"))
    var wait: Double = 5

    func validate() throws {
        guard wait > 0, wait.isFinite else { throw ValidationError("--wait must be a positive number of seconds") }
    }
}
