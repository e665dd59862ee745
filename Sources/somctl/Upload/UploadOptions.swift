import ArgumentParser

/// The options `submit` and `devices import` share.
struct UploadOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The input: JSON Lines (one record per line) or CSV with a header row.", valueName: "path"))
    var file: String

    @Option(help: ArgumentHelp("jsonl or csv; by default .csv files are CSV and all others JSON Lines.", valueName: "format"))
    var format: InputFormat?

    @Option(name: .customLong("chunk-size"), help: ArgumentHelp("Records per chunk sent to the server (1...10000).", valueName: "n"))
    var chunkSize = 1000

    @Option(help: ArgumentHelp("Where refused records go, one JSON object per line (default: <file>.rejected).", valueName: "path"))
    var rejects: String?

    @Flag(help: "Print the summary as a JSON object.")
    var json = false

    func validate() throws {
        guard (1...10_000).contains(chunkSize) else { throw ValidationError("--chunk-size must be between 1 and 10000") }
    }

    var inputFormat: InputFormat { format ?? InputFormat(path: file) }
    var rejectsPath: String { rejects ?? file + ".rejected" }
}
