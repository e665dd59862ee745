import CompressNIO
import Foundation
import NIOCore
public import SOMCodec

/// Appends gzip members of JSON lines to a file, fsyncs it and renames it into place.
final class ArchiveFileWriter: @unchecked Sendable {
    // @unchecked: used by one archive run at a time, from one thread at a time (BlockingWork).
    private var handle: FileHandle?
    private let path: String
    private let directory: String

    /// Nothing is created until the first lines arrive: a run with nothing old enough touches no file.
    init(path: String, directoryToCreate directory: String) {
        self.path = path
        self.directory = directory
    }

    private func open() throws(StoreError) -> FileHandle {
        if let handle { return handle }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        } catch {
            throw .cannotOpen(path: directory, reason: "cannot create the archive directory: \(error.localizedDescription)")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640]),
              let opened = FileHandle(forWritingAtPath: path) else {
            throw .cannotOpen(path: path, reason: "cannot create the archive file")
        }
        handle = opened
        return opened
    }

    /// Appends `lines` as one gzip member (a gzip file may hold many; zcat reads them in order).
    func append(_ lines: [String]) throws(StoreError) {
        guard !lines.isEmpty else { return }
        let handle = try open()
        var text = ByteBuffer(string: lines.joined(separator: "\n") + "\n")
        do {
            let compressed = try text.compress(with: .gzip())
            try handle.write(contentsOf: Data(compressed.readableBytesView))
        } catch {
            throw ArchiveFileWriter.failure(path, error)
        }
    }

    /// Flushes the file to disk, renames it, and flushes the directory entry.
    func finish(renamingTo final: String) throws(StoreError) {
        do {
            try open().close()
            self.handle = nil
            try DurableFile.place(path, at: final)
        } catch {
            throw ArchiveFileWriter.failure(path, error)
        }
    }

    /// Removes the unfinished file, if one was started.
    func discard() {
        guard let handle else { return }
        try? handle.close()
        self.handle = nil
        try? FileManager.default.removeItem(atPath: path)
    }

    static func failure(_ path: String, _ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if (error as NSError).code == NSFileWriteOutOfSpaceError || underlying?.code == Int(ENOSPC) {
            return .storageFull("no space left for the archive file \(path)")
        }
        return .storage("archive file \(path): \(error)")
    }
}

/// Reads archive files back (recovery of a pending run, tests, tools).
public enum ArchiveFileReader {
    /// Every JSON line of an archive file, decompressed.
    public static func lines(in path: String) throws(StoreError) -> [String] {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            var compressed = ByteBuffer(bytes: data)
            var lines: [String] = []
            var text = ""
            // One gzip member after another; each decompresses on its own.
            while compressed.readableBytes > 0 {
                let before = compressed.readableBytes
                let output = try compressed.decompress(with: .gzip())
                text += String(buffer: output)
                guard compressed.readableBytes < before else { break }
            }
            for line in text.split(separator: "\n") { lines.append(String(line)) }
            return lines
        } catch {
            throw .storage("cannot read the archive file \(path): \(error)")
        }
    }

    /// The orders an archive file holds.
    public static func orders(in path: String) throws(StoreError) -> [Order] {
        let prefix = #"{"order":"#
        var orders: [Order] = []
        for line in try lines(in: path) where line.hasPrefix(prefix) && line.hasSuffix("}") {
            let json = line.dropFirst(prefix.count).dropLast()
            do { orders.append(try Order(jsonString: String(json))) } catch {
                throw .storage("archive file \(path): an order line is unreadable: \(error)")
            }
        }
        return orders
    }
}
