import SOMCodec

/// Why one input record was refused before it was sent (or by the server): the field and the reason.
struct RecordError: Error {
    var field: String
    var reason: String
}

/// What a CSV header says: which field each column fills, and how its cells become JSON.
///
/// The schema carries no field types, so they are learned by asking the JSON mapping itself:
/// a column whose field takes `true` is boolean, one that takes a number is numeric, one that takes
/// `[]` is repeated. Rows then become the same JSON objects a JSON Lines file holds, and both
/// formats go through one decoder with one set of error messages.
struct CSVSchema<Record: ProtoJSONMessage> {
    struct Column {
        let name: String
        let path: [String]
        let takesBool: Bool
        let takesNumber: Bool
    }

    let columns: [Column]

    /// Reads the header row; throws a message naming the first column that cannot be used.
    init(header: [String]) throws(CLIError) {
        var columns: [Column] = []
        var seen = Set<String>()
        for (position, raw) in header.enumerated() {
            let name = raw.trimmingSpaces
            let label = "header column \(position + 1) \"\(name)\""
            guard !name.isEmpty else { throw CLIError("header column \(position + 1) has no name") }
            guard seen.insert(name).inserted else { throw CLIError("\(label) appears twice") }
            let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard !path.contains(where: \.isEmpty) else { throw CLIError("\(label): empty name between dots") }
            for length in 1...path.count where Self.takes(path.prefix(length), []) {
                throw CLIError("\(label): \(path.prefix(length).joined(separator: ".")) is a repeated field, which CSV cannot express; use JSON Lines")
            }
            if let error = Self.refusal(path[...], .null) {
                throw CLIError("\(label): \(error.path == name ? error.message : error.description)")
            }
            if Self.takes(path[...], .object([])) {
                throw CLIError("\(label) is a message; name its fields with dots, e.g. \(name).<field>")
            }
            columns.append(Column(
                name: name, path: path,
                takesBool: Self.takes(path[...], .bool(true)),
                takesNumber: Self.takes(path[...], .number("0"))))
        }
        guard !columns.isEmpty else { throw CLIError("the header row is empty") }
        // Columns that are each fine can still clash (`notes` and `notes` by proto name).
        if let error = Self.decode(Self.object(columns.map { ($0.path[...], JSONValue.null) })).error {
            throw CLIError("header: \(error.field.isEmpty ? "" : error.field + ": ")\(error.reason)")
        }
        self.columns = columns
    }

    /// The record a row describes; empty cells leave their fields unset.
    func record(_ cells: [String]) -> Result<Record, RecordError> {
        guard cells.count == columns.count else {
            return .failure(RecordError(field: "", reason: "the row has \(cells.count) fields; the header has \(columns.count)"))
        }
        var entries: [(ArraySlice<String>, JSONValue)] = []
        for (column, cell) in zip(columns, cells) where !cell.isEmpty {
            entries.append((column.path[...], value(cell, for: column)))
        }
        return Self.decode(Self.object(entries))
    }

    private func value(_ cell: String, for column: Column) -> JSONValue {
        if column.takesBool, cell == "true" || cell == "false" { return .bool(cell == "true") }
        // Integers would be read from strings as well; enums need a number to be taken as one.
        if column.takesNumber, case .number(let literal)? = try? JSONValue(parsing: cell) { return .number(literal) }
        return .string(cell)
    }

    private static func decode(_ json: JSONValue) -> Result<Record, RecordError> {
        do {
            return .success(try Record(json: json))
        } catch {
            return .failure(RecordError(field: error.path, reason: error.message))
        }
    }

    private static func takes(_ path: ArraySlice<String>, _ value: JSONValue) -> Bool {
        refusal(path, value) == nil
    }

    private static func refusal(_ path: ArraySlice<String>, _ value: JSONValue) -> JSONMappingError? {
        do {
            _ = try Record(json: object([(path, value)]))
            return nil
        } catch {
            return error
        }
    }

    /// Nests dotted paths into objects: `contact.phone` and `contact.email` share one `contact`.
    private static func object(_ entries: [(ArraySlice<String>, JSONValue)]) -> JSONValue {
        var members: [(String, JSONValue)] = []
        for (path, value) in entries { insert(value, at: path, into: &members) }
        return .object(members)
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into members: inout [(String, JSONValue)]) {
        guard let name = path.first else { return }
        guard path.count > 1 else {
            members.append((name, value))
            return
        }
        if let index = members.firstIndex(where: { $0.0 == name }), case .object(var inner) = members[index].1 {
            insert(value, at: path.dropFirst(), into: &inner)
            members[index].1 = .object(inner)
        } else {
            var inner: [(String, JSONValue)] = []
            insert(value, at: path.dropFirst(), into: &inner)
            members.append((name, .object(inner)))
        }
    }
}

extension Result {
    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
