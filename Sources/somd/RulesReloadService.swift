import SOMEngine
import Logging
import ServiceLifecycle
import SOMServer
import UnixSignals

/// SIGHUP reloads the business-rules file (`--config`): on success the new calendars, crew
/// pools and guardrail limits apply to the next decisions; a file that does not load, or a change
/// that needs a restart, is refused with one error line and the rules in force stay.
struct RulesReloadService: Service {
    let path: String?
    let engine: OrderEngine
    let logger: Logger

    func run() async {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups { reload() }
        }
    }

    func reload() {
        guard let path else {
            logger.warning("SIGHUP: no rules file to reload (somd runs without --config); the built-in rules stay")
            return
        }
        do {
            let (rules, policy) = try BusinessRulesFile.load(path)
            try engine.reloadRules(rules, policy: policy)
            logger.notice("SIGHUP: business rules reloaded", metadata: ["file": "\(path)"])
        } catch {
            logger.error("SIGHUP: business rules NOT reloaded, the rules in force stay: \(error)", metadata: ["file": "\(path)"])
        }
    }
}
