import Foundation

/// One physical line of an input file, without its line break.
struct InputLine {
    let number: Int
    let bytes: [UInt8]
    /// True when the line was longer than `LineReader.maxLineBytes`; `bytes` then holds only its start.
    let truncated: Bool
}

/// Reads a file a block at a time and splits it into lines (LF or CRLF): a file of any size goes
/// through a buffer of about one block, never into memory whole.
struct LineReader {
    static let blockSize = 1 << 20
    /// Longer lines are reported truncated rather than buffered: a file without line breaks must not
    /// take all memory, and no single request comes anywhere near this size.
    static let maxLineBytes = 1 << 20
    private static let truncatedKeep = 200

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private(set) var lineNumber = 0
    /// Bytes taken from the file so far, for progress.
    private(set) var bytesRead: Int64 = 0

    init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw CLIError("\(path): no such file") }
        guard !isDirectory.boolValue else { throw CLIError("\(path) is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("cannot open \(path) for reading") }
        self.handle = handle
    }

    mutating func next() throws -> InputLine? {
        var overflow: [UInt8]?
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                start = newline + 1
                return emit(line, overflow: overflow)
            }
            if atEnd {
                guard start < buffer.count || overflow != nil else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return emit(line, overflow: overflow)
            }
            if buffer.count - start > Self.maxLineBytes {
                // Keep the start for the reject message, drop the rest up to the next line break.
                if overflow == nil { overflow = Array(buffer[start..<(start + Self.truncatedKeep)]) }
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            try fill()
        }
    }

    private mutating func emit(_ line: ArraySlice<UInt8>, overflow: [UInt8]?) -> InputLine {
        lineNumber += 1
        if let overflow { return InputLine(number: lineNumber, bytes: overflow, truncated: true) }
        let content = line.last == 0x0D ? line.dropLast() : line
        return InputLine(number: lineNumber, bytes: Array(content), truncated: false)
    }

    private mutating func fill() throws {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        guard let block = try handle.read(upToCount: Self.blockSize), !block.isEmpty else {
            atEnd = true
            return
        }
        buffer.append(contentsOf: block)
        bytesRead += Int64(block.count)
    }
}
