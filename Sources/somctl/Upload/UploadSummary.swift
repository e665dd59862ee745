import Foundation
import SOMCodec

/// The end-of-upload report on stdout: a sentence for people, or one JSON object for scripts.
struct UploadSummary {
    let counts: UploadCounts
    let seconds: Double
    let rejectsPath: String

    var rate: Double { seconds > 0 ? Double(counts.records) / seconds : 0 }

    var text: [String] {
        var lines = [
            "\(counts.records) \(counts.records == 1 ? "record" : "records") in \(String(format: "%.1f", seconds)) s (\(Int(rate.rounded()))/s): "
                + "sent \(counts.sent), accepted \(counts.accepted), duplicates \(counts.duplicates), rejected \(counts.rejected)"
                + (counts.rejectedLocally > 0 ? " (\(counts.rejectedLocally) before sending)" : ""),
        ]
        if counts.rejected > 0 { lines.append("rejected records are listed in \(rejectsPath)") }
        return lines
    }

    var json: String {
        var members: [(String, JSONValue)] = [
            ("records", number(counts.records)), ("sent", number(counts.sent)), ("accepted", number(counts.accepted)),
            ("duplicates", number(counts.duplicates)), ("rejected", number(counts.rejected)),
            ("rejectedLocally", number(counts.rejectedLocally)),
            ("seconds", .number(String(format: "%.3f", seconds))), ("rate", .number(String(format: "%.1f", rate))),
        ]
        if counts.rejected > 0 { members.append(("rejectsFile", .string(rejectsPath))) }
        return JSONValue.object(members).serialized()
    }

    private func number(_ value: Int) -> JSONValue { .number(String(value)) }
}
