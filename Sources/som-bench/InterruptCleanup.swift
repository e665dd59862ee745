import Dispatch
import Foundation
import Glibc

/// When som-bench itself gets SIGINT or SIGTERM (Ctrl-C, a CI timeout), stops the somd it
/// started and removes its directory before exiting, so an interrupted run leaves no server behind.
final class InterruptCleanup {
    private static let signals = [SIGINT, SIGTERM]
    private var sources: [any DispatchSourceSignal] = []

    init(childPID: pid_t, directory: String) {
        for signalNumber in Self.signals {
            // Ignored first, so the dispatch source receives the signal instead of the default action.
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                kill(childPID, SIGTERM)
                // Give it a moment to exit before its directory goes; -1 means Foundation reaped it already.
                for _ in 0..<300 {
                    let reaped = waitpid(childPID, nil, WNOHANG)
                    if reaped == childPID || reaped == -1 { break }
                    usleep(10_000)
                }
                try? FileManager.default.removeItem(atPath: directory)
                FileHandle.standardError.write(Data("som-bench: interrupted; stopped somd (pid \(childPID))\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
        for signalNumber in Self.signals { signal(signalNumber, SIG_DFL) }
    }
}
