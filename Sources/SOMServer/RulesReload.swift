public import SOMEngine
public import SOMOrchestration

/// Why a rules reload was refused; the rules in force stay.
public struct RulesReloadRefused: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension OrderEngine {
    /// Puts new business rules in force without a restart (SIGHUP): calendars, regions, crew
    /// pools and the guardrail's limits. Moratoria (set at run time, kept in the store) and the
    /// disconnect volume counted so far stay.
    ///
    /// - Throws: `RulesReloadRefused` when the guardrail's window changes: the volume counted in
    ///   the old window cannot be recounted for a new one while running, so that needs a restart.
    public func reloadRules(_ rules: BusinessInputs, policy newPolicy: OrchestrationPolicy) throws(RulesReloadRefused) {
        let current = policy
        guard newPolicy.guardrail.window == current.guardrail.window else {
            throw RulesReloadRefused(description: "the guardrail window changes (\(current.guardrail.window) → \(newPolicy.guardrail.window)); that needs a restart")
        }
        updateInputs { inputs in
            let (moratoria, volume) = (inputs.moratoria, inputs.disconnectVolume)
            inputs = rules
            inputs.moratoria = moratoria
            inputs.disconnectVolume = volume
        }
        var updated = current
        updated.guardrail = newPolicy.guardrail
        setPolicy(updated)
    }
}
