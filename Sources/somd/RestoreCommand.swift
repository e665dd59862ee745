import ArgumentParser
import Foundation
import SOMLMDB
import SOMStore

/// `somd restore`: puts a backup (made by `somctl backup`) in place as a data directory.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a data directory. Refuses a directory a running somd uses, and one that already holds a store unless --replace is given.",
        discussion: """
            The backup is checked first (as `somd check` does). With --replace, the store found in the \
            directory is kept beside it as data.mdb.before-restore. Stop somd before restoring; start it afterwards.
            """)

    @Option(name: .long, help: ArgumentHelp("Backup directory (holds data.mdb).", valueName: "dir"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("Data directory to restore into.", valueName: "dir"))
    var data: String = "./var/data"

    @Flag(name: .long, help: "Replace a store already in the data directory (it is kept as data.mdb.before-restore).")
    var replace = false

    func run() throws {
        do {
            let restored = try StoreRestore(backup: from, directory: data, replace: replace).run()
            print("restored \(restored.orders) orders (\(restored.bytes) bytes) from \(from) into \(data)")
        } catch {
            FileHandle.standardError.write(Data("somd restore: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
