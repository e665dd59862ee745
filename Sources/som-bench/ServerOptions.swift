import ArgumentParser

/// Which somd to measure: by default a fresh one started for the run.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Measure the somd already listening on this socket instead of starting one.", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp(
        "The somd executable to start (default: the somd next to som-bench, from the same build).", valueName: "path"))
    var somd: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for somd to answer Health with SERVING.", valueName: "s"))
    var startTimeout: Double = 30

    func validate() throws {
        if socket != nil && somd != nil {
            throw ValidationError("--socket measures a running server and --somd starts one; give one of them")
        }
        guard startTimeout > 0, startTimeout.isFinite else { throw ValidationError("--start-timeout must be a positive number of seconds") }
    }
}
