import Foundation

/// Puts a finished file in place so that a power cut finds either the old name's contents or all
/// of the new file: fsync the file, rename(2) it over the destination (atomic, replaces), then
/// fsync the directory that holds the new name. Backup, restore and archive files all end this way.
enum DurableFile {
    /// fsync of a file or a directory.
    static func sync(_ path: String) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .storage("cannot open \(path) to flush it") }
        defer { try? handle.close() }
        do { try handle.synchronize() } catch { throw .storage("flushing \(path): \(error)") }
    }

    /// Flushes `source`, renames it to `destination` and flushes `destination`'s directory.
    static func place(_ source: String, at destination: String) throws(StoreError) {
        try sync(source)
        guard rename(source, destination) == 0 else {
            throw .storage("rename \(source) to \(destination): \(String(cString: strerror(errno)))")
        }
        try sync((destination as NSString).deletingLastPathComponent)
    }
}
