/// "label  value" lines with the values in one column, for the readable single-record views.
struct LabelledLines {
    private var entries: [(label: String, value: String)] = []
    private var trailing: [String] = []

    /// Adds a line; an empty value (an unset field) is left out rather than shown blank.
    mutating func add(_ label: String, _ value: String) {
        if !value.isEmpty { entries.append((label, value)) }
    }

    /// Adds free text after the labelled block (e.g. a list of activities).
    mutating func append(_ line: String) { trailing.append(line) }

    var lines: [String] {
        let width = entries.map(\.label.count).max() ?? 0
        let block = entries.map { $0.label + String(repeating: " ", count: width - $0.label.count) + "  " + $0.value }
        return block + trailing
    }
}
