import ArgumentParser
import SOMClient
import SOMCodec

struct Devices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import and look up the meter at each service point.",
        discussion: """
            Examples:
              somctl devices import --file meters.jsonl
              somctl devices get SP-000123
            """,
        subcommands: [DevicesImport.self, DevicesGet.self])
}

struct DevicesImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create or replace service point devices from a JSON Lines or CSV file.",
        discussion: """
            Records are som.v1.ServicePointDevice in canonical proto3 JSON, one per line, or CSV \
            with those field names as headers (lastReading.valueMilli, lastReading.readAt, ...). \
            Streaming, progress, the rejects file and the exit status work as for \
            `somctl submit` ("accepted" counts devices stored).

            Examples:
              somctl devices import --file meters.jsonl
              somctl devices import --file meters.csv --chunk-size 5000 --json
            """)

    @OptionGroup var upload: UploadOptions
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await runUpload(DeviceUpload(), options: upload, connection: connection)
    }
}

struct DevicesGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show the device at a service point.",
        discussion: """
            Examples:
              somctl devices get SP-000123
              somctl devices get SP-000123 --json
            """)

    @Argument(help: ArgumentHelp("The service point id.", valueName: "service-point"))
    var servicePoint: String

    @Flag(help: "Print the som.v1.ServicePointDevice as one line of canonical proto3 JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await reportingFailures {
            let device = try await connection.client().using { try await $0.device(servicePointID: servicePoint, options: connection.unary) }
            let out = StandardOutput()
            if json {
                out.line(try device.jsonString())
            } else {
                DeviceView.lines(device).forEach(out.line)
            }
            out.flush()
        }
    }
}
