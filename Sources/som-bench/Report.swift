import Foundation

/// One measured case: what it did, how fast, and, for calls, how long each took.
struct CaseResult: Codable, Sendable {
    /// Stable key for scripts, e.g. `unary_c16` or `stream_1024`.
    var name: String
    var description: String
    /// What `operations` counts: `calls` or `msgs`.
    var unit: String
    var operations: UInt64
    var elapsedSeconds: Double
    var perSecond: Double
    /// Payload bytes (not frame or protobuf overhead) per second, in 10^6 bytes; nil where it means nothing.
    var payloadMBPerSecond: Double?
    var latencyUs: LatencySummary?
}

/// Percentiles of one case's call latencies, in microseconds.
struct LatencySummary: Codable, Sendable {
    var p50: Double
    var p99: Double
    var p999: Double
    var mean: Double
    var max: Double

    init(_ histogram: LatencyHistogram) {
        p50 = histogram.percentile(50) / 1000
        p99 = histogram.percentile(99) / 1000
        p999 = histogram.percentile(99.9) / 1000
        mean = histogram.meanNanoseconds / 1000
        max = histogram.maxNanoseconds / 1000
    }
}

/// The server a run measured.
struct ServerInfo: Codable, Sendable {
    var socket: String
    var version: String
    var pid: UInt32
    var startedByBench: Bool
}

/// Everything one run of a benchmark group produced; `--json` prints exactly this.
struct GroupReport: Codable, Sendable {
    var group: String
    var date: String
    var host: String
    var cores: Int
    /// The 1, 5 and 15 minute load averages at the start: the machine is shared, so this explains outliers.
    var loadAverage: String
    var server: ServerInfo
    var secondsPerCase: Double
    var warmupSeconds: Double
    var results: [CaseResult]

    init(group: String, server: ServerInfo, run: RunOptions) {
        self.group = group
        self.date = ISO8601DateFormatter().string(from: Date())
        self.host = ProcessInfo.processInfo.hostName
        self.cores = ProcessInfo.processInfo.activeProcessorCount
        self.loadAverage = Self.currentLoadAverage()
        self.server = server
        self.secondsPerCase = run.seconds
        self.warmupSeconds = run.warmup
        self.results = []
    }

    private static func currentLoadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}

extension GroupReport {
    /// With `json`, the JSON goes to stdout and the table to stderr, so a script can capture one and a person still sees the other.
    func emit(json: Bool) throws {
        if json {
            FileHandle.standardError.write(Data(table().utf8))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(self) + Data("\n".utf8))
        } else {
            print(table(), terminator: "")
        }
    }

    func table() -> String {
        let origin = server.startedByBench ? "started by som-bench" : "already running"
        var text = """
            som-bench \(group): somd \(server.version) (pid \(server.pid), \(origin)), \
            \(Self.number(secondsPerCase)) s per case after \(Self.number(warmupSeconds)) s warm-up; \
            \(cores) cores, load \(loadAverage)

            """
        let header = ["case", "what", "rate", "", "MB/s", "p50 us", "p99 us", "p99.9 us"]
        let rows = results.map { result -> [String] in
            [
                result.name, result.description, Self.grouped(result.perSecond), "\(result.unit)/s",
                result.payloadMBPerSecond.map { String(format: "%.1f", $0) } ?? "-",
                result.latencyUs.map { String(format: "%.1f", $0.p50) } ?? "-",
                result.latencyUs.map { String(format: "%.1f", $0.p99) } ?? "-",
                result.latencyUs.map { String(format: "%.1f", $0.p999) } ?? "-",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        // Text columns read left-aligned, numbers right-aligned.
        let leftAligned: Set<Int> = [0, 1, 3]
        for row in [header] + rows {
            let cells = row.indices.map { column in
                let pad = String(repeating: " ", count: widths[column] - row[column].count)
                return leftAligned.contains(column) ? row[column] + pad : pad + row[column]
            }
            text += cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        return text
    }

    /// 1234567.8 as "1,234,568".
    static func grouped(_ value: Double) -> String {
        let digits = String(Int(value.rounded()))
        var out = ""
        for (offset, character) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 && character != "-" { out.append(",") }
            out.append(character)
        }
        return String(out.reversed())
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
