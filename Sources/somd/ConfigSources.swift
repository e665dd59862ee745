import Foundation

/// somd's one configuration: a JSON file (`--config-file`, or `SOM_CONFIG_FILE`), then `SOM_*`
/// environment variables, then flags, later sources winning.
///
/// The file's keys and the variables' names are the flags' own names (`"max-connections": 512`,
/// `SOM_MAX_CONNECTIONS=512`), so `somd serve --help` documents all three. Each source becomes
/// flags placed before the next source's: ArgumentParser keeps the last value of a repeated option,
/// which gives the precedence, and every value goes through the same parsing and validation.
enum ConfigSources {
    /// Why a configuration source was refused.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// Serve's options: name → whether it takes a value (false: an on/off flag).
    static let serveOptions: [String: Bool] = [
        "socket": true, "data": true, "config": true, "socket-mode": true, "drain-timeout": true,
        "max-connections": true, "idle-timeout": true, "handshake-timeout": true, "allow-uids": true,
        "allow-gids": true, "max-store-mib": true, "max-commit-records": true, "decoded-records": true, "init": false,
        "unsafe-no-sync": false, "retain-finished-days": true, "archive-dir": true, "log-level": true,
        "log-format": true, "metrics-listen": true, "access": true,
    ]

    /// Words that select a subcommand other than serve, or ask for help: arguments then go through unchanged.
    static let passThrough: Set<String> = ["check", "restore", "config", "help", "-h", "--help", "--version"]

    /// The arguments ArgumentParser sees: for serve, the file's and the environment's flags first.
    static func arguments(_ commandLine: [String], environment: [String: String]) throws -> [String] {
        if let first = commandLine.first, passThrough.contains(first) { return commandLine }
        var given = commandLine
        if given.first == "serve" { given.removeFirst() }
        let file = configFile(in: given) ?? environment["SOM_CONFIG_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let fromFile = try file.map { try fileArguments($0) } ?? []
        return ["serve"] + fromFile + (try environmentArguments(environment)) + given
    }

    /// The value of `--config-file` on the command line, if any.
    static func configFile(in arguments: [String]) -> String? {
        var result: String?
        for (index, argument) in arguments.enumerated() {
            if argument == "--config-file", index + 1 < arguments.count { result = arguments[index + 1] }
            if argument.hasPrefix("--config-file=") { result = String(argument.dropFirst("--config-file=".count)) }
        }
        return result
    }

    /// The file's settings as flags. Unknown keys are refused: a typo must not be silently ignored.
    static func fileArguments(_ path: String) throws -> [String] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Invalid(description: "--config-file \(path): cannot read it (\(error.localizedDescription))")
        }
        let settings: [String: Setting]
        do { settings = try JSONDecoder().decode([String: Setting].self, from: data) } catch {
            throw Invalid(description: "--config-file \(path): not a JSON object of settings (\(error)); see docs/operations.md")
        }
        var arguments: [String] = []
        for key in settings.keys.sorted() {
            guard let takesValue = serveOptions[key] else {
                throw Invalid(description: "--config-file \(path): unknown setting \"\(key)\"; settings are serve's flags without the dashes: \(serveOptions.keys.sorted().joined(separator: ", "))")
            }
            arguments += try flag(key, takesValue: takesValue, settings[key]!, source: "--config-file \(path)")
        }
        return arguments
    }

    /// `SOM_<FLAG>` variables as flags (`SOM_MAX_CONNECTIONS` → `--max-connections`).
    static func environmentArguments(_ environment: [String: String]) throws -> [String] {
        var arguments: [String] = []
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("SOM_") {
            let key = name.dropFirst(4).lowercased().replacingOccurrences(of: "_", with: "-")
            guard let takesValue = serveOptions[key] else { continue }
            let setting: Setting = takesValue ? .text(value)
                : ["1", "true", "yes"].contains(value.lowercased()) ? .flag(true)
                : ["0", "false", "no", ""].contains(value.lowercased()) ? .flag(false) : .text(value)
            arguments += try flag(key, takesValue: takesValue, setting, source: name)
        }
        return arguments
    }

    /// One setting's value as JSON gives it.
    enum Setting: Decodable {
        case flag(Bool)
        case text(String)
        case list([String])
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let on = try? container.decode(Bool.self) { self = .flag(on) }
            else if let text = try? container.decode(String.self) { self = .text(text) }
            else if let whole = try? container.decode(Int.self) { self = .text(String(whole)) }
            else if let number = try? container.decode(Double.self) { self = .text(String(number)) }
            else if let texts = try? container.decode([String].self) { self = .list(texts) }
            else if let numbers = try? container.decode([Int].self) { self = .list(numbers.map(String.init)) }
            else { throw DecodingError.dataCorruptedError(in: container, debugDescription: "a setting is true/false, a string, a number or a list") }
        }
    }

    private static func flag(_ key: String, takesValue: Bool, _ value: Setting, source: String) throws -> [String] {
        switch (value, takesValue) {
        case (.null, _): return []
        case (.flag(let on), false): return on ? ["--\(key)"] : []
        case (_, false): throw Invalid(description: "\(source): \(key) is on or off (true/false)")
        case (.text(let text), true): return ["--\(key)", text]
        case (.list(let items), true): return ["--\(key)", items.joined(separator: ",")]
        case (.flag, true): throw Invalid(description: "\(source): \(key) needs a value, not true/false")
        }
    }
}
