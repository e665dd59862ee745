import ArgumentParser
import SOMCodec

/// The input file formats of `submit` and `devices import`.
enum InputFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl
    case csv

    /// `.csv` files are CSV; everything else is taken as JSON Lines.
    init(path: String) {
        self = path.lowercased().hasSuffix(".csv") ? .csv : .jsonl
    }
}

/// One record of the input: where it was, its original text (for the rejects file) and what it parsed to.
struct InputRecord<Record> {
    let line: Int
    let text: [UInt8]
    let result: Result<Record, RecordError>
}

/// Streams the records of a JSON Lines or CSV file, each parsed with the canonical proto3 JSON mapping.
/// Blank lines and lines starting with `#` are skipped; a record that does not parse is returned
/// as a failure, so one bad line never stops the rest.
struct RecordSource<Record: ProtoJSONMessage> {
    private var lines: LineReader
    private let schema: CSVSchema<Record>?

    /// Bytes read from the file so far.
    var bytesRead: Int64 { lines.bytesRead }

    /// Opens the file; for CSV reads the header at once, so a bad header fails before anything is sent.
    init(path: String, format: InputFormat) throws {
        lines = try LineReader(path: path)
        guard format == .csv else {
            schema = nil
            return
        }
        var header: InputRecord<[String]>?
        while header == nil, let line = try Self.nextContent(&lines) {
            header = try Self.csvFields(startingWith: line, from: &lines)
        }
        guard let header else { throw CLIError("\(path) has no header row") }
        do {
            schema = try CSVSchema(header: try header.result.get())
        } catch let error as RecordError {
            throw CLIError("\(path) line \(header.line): \(error.reason)")
        } catch {
            throw CLIError("\(path) line \(header.line): \(error)")
        }
    }

    mutating func next() throws -> InputRecord<Record>? {
        guard let line = try Self.nextContent(&lines) else { return nil }
        if line.truncated {
            return InputRecord(line: line.number, text: line.bytes, result: .failure(RecordError(
                field: "", reason: "the line is longer than \(LineReader.maxLineBytes >> 20) MiB")))
        }
        guard let schema else {
            return InputRecord(line: line.number, text: line.bytes, result: Self.decodeJSON(line.bytes))
        }
        let row = try Self.csvFields(startingWith: line, from: &lines)
        return InputRecord(line: row.line, text: row.text, result: row.result.flatMap(schema.record))
    }

    private static func decodeJSON(_ bytes: [UInt8]) -> Result<Record, RecordError> {
        do {
            return .success(try Record(jsonUTF8: bytes))
        } catch {
            return .failure(RecordError(field: error.path, reason: error.message))
        }
    }

    /// The next line that is not blank or a comment; a UTF-8 byte order mark on line 1 is dropped.
    private static func nextContent(_ lines: inout LineReader) throws -> InputLine? {
        while let line = try lines.next() {
            var bytes = line.bytes[...]
            if line.number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            guard let first = bytes.first(where: { $0 != 0x20 && $0 != 0x09 }), first != UInt8(ascii: "#") else { continue }
            return InputLine(number: line.number, bytes: Array(bytes), truncated: line.truncated)
        }
        return nil
    }

    /// One CSV record, which continues over further lines while a quoted field is open.
    private static func csvFields(startingWith first: InputLine, from lines: inout LineReader) throws -> InputRecord<[String]> {
        var text = first.bytes
        while true {
            switch CSVRow.parse(text) {
            case .fields(let fields):
                return InputRecord(line: first.number, text: text, result: .success(fields))
            case .invalid(let reason):
                return InputRecord(line: first.number, text: text, result: .failure(RecordError(field: "", reason: reason)))
            case .unterminated:
                guard let more = try lines.next(), !more.truncated, text.count + more.bytes.count < LineReader.maxLineBytes else {
                    return InputRecord(line: first.number, text: text, result: .failure(RecordError(
                        field: "", reason: "a quoted field is not closed before the end of the file or the size limit")))
                }
                text.append(0x0A)
                text.append(contentsOf: more.bytes)
            }
        }
    }
}
