import Foundation
import SOMCodec

/// The file of refused input records: one JSON object per line,
/// `{"line":N,"field":"...","reason":"...","input":"<the original line>"}`, for CSV and JSON Lines alike.
/// It is created empty at the start (so a stale one never survives) and removed at the end when
/// nothing was refused.
struct RejectsFile {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var count = 0

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CLIError("cannot create the rejects file \(path)")
        }
        self.path = path
        self.handle = handle
    }

    mutating func add(line: Int, field: String, reason: String, input: [UInt8]) throws {
        let entry: JSONValue = [
            "line": .number(String(line)), "field": .string(field), "reason": .string(reason),
            "input": .string(String(decoding: input, as: UTF8.self)),
        ]
        entry.serialize(into: &buffer)
        buffer.append(0x0A)
        count += 1
        if buffer.count >= 64 << 10 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file; removes it when it stayed empty.
    mutating func close() throws {
        try flush()
        try handle.close()
        if count == 0 { try? FileManager.default.removeItem(atPath: path) }
    }
}
