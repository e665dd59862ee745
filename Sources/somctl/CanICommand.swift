import ArgumentParser
import SOMClient
import SOMRPC
import SOMTransport

/// `somctl can-i`: whether this caller may call methods, asked of the server itself.
struct CanI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-i",
        abstract: "Ask somd whether this caller (its uid and groups) may call each method; changes nothing.",
        discussion: """
            Each method is called with a request that cannot be decoded, so no handler acts on it: \
            PERMISSION_DENIED before the handler means no (with the server's reason), any other \
            answer means the roles allow the call. Checks that need a real request (a submitter's \
            source systems, a gateway binding) are not covered. Prints `METHOD yes` or \
            `METHOD no: reason`, one line each; exits 0 either way.

            Examples:
              somctl can-i /som.v1.Admin/ReleaseHold
              sudo -u cis somctl can-i /som.v1.Orders/Submit /som.v1.Orders/Cancel
            """)

    @Argument(help: ArgumentHelp("Method paths, e.g. /som.v1.Admin/ReleaseHold.", valueName: "method"))
    var methods: [String]

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        for method in methods where !(method.hasPrefix("/som.v1.") && method.dropFirst().contains("/")) {
            throw ValidationError("\(method) is not a method path such as /som.v1.Admin/ReleaseHold")
        }
    }

    /// A truncated varint: no message type decodes it.
    static let undecodable: [UInt8] = [0xFF]

    func run() async throws {
        try await reportingFailures {
            let rpc = RPCClient(socketPath: connection.socket)
            let lines: [String]
            do {
                lines = try await ask(rpc)
            } catch {
                await rpc.close()
                throw error
            }
            await rpc.close()
            let out = StandardOutput()
            lines.forEach(out.line)
            out.flush()
        }
    }

    /// One line per method.
    func ask(_ rpc: RPCClient) async throws -> [String] {
        var lines: [String] = []
        for method in methods {
            // Bidirectional is the shape that fits every method: one message, then half-close.
            let call = try await rpc.open(method, shape: .bidirectional, options: connection.unary)
            var refusal: String?
            do {
                // A refusal may end the stream before the message goes out; its status follows.
                try? await call.send(Self.undecodable, endStream: true)
                for try await _ in call.responses {}
            } catch let error as RPCError where error.code == .permissionDenied {
                refusal = error.message
            } catch let error as RPCError where error.code == .unavailable || error.code == .unimplemented {
                throw error
            } catch {}
            lines.append(refusal.map { "\(method) no: \($0)" } ?? "\(method) yes")
        }
        return lines
    }
}
