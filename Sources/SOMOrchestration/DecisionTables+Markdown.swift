/// The tables as Markdown, so docs/domain.md shows exactly what the code does (a test keeps the
/// document in sync).
extension DecisionTables {
    /// Every decision table, then the failure-class and not-done tables.
    public static var markdown: String {
        var text = ""
        for table in all {
            text += "### \(table.title)\n\n"
            text += "Goal: \(table.goal). Reading: existing reading within tolerance \(table.reading.acceptExisting ? "accepted" : "not accepted"); "
            text += "estimate \(table.reading.estimateAllowed ? "allowed" : "not allowed").\n\n"
            text += "| # | found → do | when | plan |\n|---|---|---|---|\n"
            for (n, row) in table.rows.enumerated() {
                let when = row.when.isEmpty ? "(otherwise)" : row.when.map(\.description).joined(separator: "; ")
                text += "| \(n + 1) | \(escape(row.label)) | \(escape(when)) | \(escape(row.plan.map(\.description).joined(separator: " → "))) |\n"
            }
            text += "\n"
        }
        text += "### Command failures\n\n| failure class | response |\n|---|---|\n"
        for row in ResponseTables.failures { text += "| \(row.classes.map { Describe.failure($0) }.joined(separator: ", ")) | \(escape(row.label)) |\n" }
        text += "\n### Field work not done\n\n| order types | reasons | response |\n|---|---|---|\n"
        for row in ResponseTables.notDone {
            let types = row.types.isEmpty ? "all" : row.types.map { Describe.type($0) }.joined(separator: ", ")
            let reasons = row.reasons.isEmpty ? "any other" : row.reasons.map { Describe.notDone($0) }.joined(separator: ", ")
            text += "| \(types) | \(reasons) | \(escape(row.label)) |\n"
        }
        return text
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text { out += character == "|" ? "\\|" : String(character) }
        return out
    }
}
