import Foundation

/// A small tmpfs mounted for one test, so a directory really runs out of space. Unmounted when the
/// value goes away; needs root and mount(8).
public struct SmallFileSystem: ~Copyable {
    /// The mount point.
    public let path: String

    /// Whether this machine lets us mount; probed once by mounting for real.
    public static let available: Bool = {
        guard getuid() == 0, let probe = try? TemporaryDirectory(prefix: "som-tmpfs-probe") else { return false }
        defer { probe.remove() }
        do {
            _ = try SmallFileSystem(at: probe.path, megabytes: 1)
            return true
        } catch {
            return false
        }
    }()

    /// Why tests that need it are skipped.
    public static let unavailableReason = "needs root and mount(8) to mount a small tmpfs; skipped here"

    /// Mounts a tmpfs of `megabytes` at `path` (an existing directory).
    public init(at path: String, megabytes: Int) throws {
        let result = try ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0700", "tmpfs", path])
        guard result.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "mount tmpfs at \(path) failed: \(result.stderr)"])
        }
        self.path = path
    }

    /// Fills what is left with one file (the disk is then full); returns its path.
    public func fill() -> String { Self.fill(path) }

    /// Fills what is left of the file system at `path` with one file; returns its path.
    public static func fill(_ path: String) -> String {
        let filler = path + "/filler-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        if let handle = FileHandle(forWritingAtPath: filler) {
            let block = Data(count: 64 << 10)
            while (try? handle.write(contentsOf: block)) != nil {}
            try? handle.close()
        }
        return filler
    }

    deinit {
        _ = try? ProcessRunner.run("/bin/umount", ["-l", path])
    }
}
