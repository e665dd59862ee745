import ArgumentParser
import Foundation
import SOMServer

/// `somd config`: the settings file.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check a settings file (--config-file).",
        subcommands: [ConfigCheckCommand.self])
}

/// `somd config check FILE`: validates a settings file and prints the settings serve would run with.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a settings file and print the effective configuration (the file, then SOM_* variables, then defaults), as JSON.",
        discussion: "Exit status 0: valid (the configuration is printed); 1: refused, with the reason. The business-rules file it names (\"config\") is checked too.")

    @Argument(help: ArgumentHelp("The settings file (JSON).", valueName: "file"))
    var file: String

    func run() throws {
        let serve: ServeCommand
        do {
            let arguments = try ConfigSources.fileArguments(file) + ConfigSources.environmentArguments(ProcessInfo.processInfo.environment)
            serve = try ServeCommand.parse(arguments)
        } catch let invalid as ConfigSources.Invalid {
            throw Refusal(message: invalid.description)
        } catch {
            throw Refusal(message: "\(file): \(ServeCommand.message(for: error))")
        }
        if let rules = serve.config {
            do { _ = try BusinessRulesFile.load(rules) } catch { throw Refusal(message: "\(file): config \(rules): \(error)") }
        }
        print(serve.effectiveSettingsJSON())
    }

    /// A refusal: the reason on standard error, exit status 1.
    struct Refusal: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
