import Foundation

extension ServeCommand {
    /// Every setting serve runs with, keyed as in the settings file (defaults included; absent optional ones are null).
    func effectiveSettings() -> [String: ConfigSources.Setting] {
        func text(_ value: String?) -> ConfigSources.Setting { value.map { .text($0) } ?? .null }
        return [
            "socket": .text(socket), "data": .text(data), "config": text(config), "socket-mode": .text(socketMode),
            "drain-timeout": .text("\(drainTimeout)"), "max-connections": .text("\(maxConnections)"),
            "idle-timeout": .text("\(idleTimeout)"), "handshake-timeout": .text("\(handshakeTimeout)"),
            "allow-uids": text(allowUids), "allow-gids": text(allowGids), "max-store-mib": text(maxStoreMib.map { "\($0)" }),
            "max-commit-records": .text("\(maxCommitRecords)"), "decoded-records": .text("\(decodedRecords)"), "init": .flag(initialize), "unsafe-no-sync": .flag(unsafeNoSync),
            "retain-finished-days": .text("\(retainFinishedDays)"), "archive-dir": text(archiveDir),
            "log-level": .text(logLevel), "log-format": .text(logFormat), "metrics-listen": text(metricsListen),
            "access": text(access),
        ]
    }

    /// `effectiveSettings()` as a JSON object, keys sorted, numbers as numbers.
    func effectiveSettingsJSON() -> String {
        var object: [String: Any] = [:]
        for (key, value) in effectiveSettings() {
            switch value {
            case .null: object[key] = NSNull()
            case .flag(let on): object[key] = on
            case .text(let text): object[key] = key == "socket-mode" ? text : Int(text).map { $0 as Any } ?? text
            case .list(let items): object[key] = items
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
