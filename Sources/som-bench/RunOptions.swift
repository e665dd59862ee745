import ArgumentParser

/// How long each case runs and how results are printed; every benchmark group takes these.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Measured seconds per case.", valueName: "s"))
    var seconds: Double = 3

    @Option(name: .long, help: ArgumentHelp("Unmeasured seconds per case before measuring (connections, caches, allocator).", valueName: "s"))
    var warmup: Double = 1

    @Flag(name: .long, help: "Print the results as JSON on stdout (the table goes to stderr).")
    var json = false

    func validate() throws {
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be a positive number, e.g. 3") }
        guard warmup >= 0, warmup.isFinite else { throw ValidationError("--warmup must be zero or more seconds") }
    }

    var measured: Duration { .milliseconds(Int64(seconds * 1000)) }
    var warmupDuration: Duration { .milliseconds(Int64(warmup * 1000)) }
}
