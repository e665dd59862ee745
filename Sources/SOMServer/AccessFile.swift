public import Foundation
public import SOMCodec
import SOMOrchestration

/// What the access file configures: the roles of callers, gateways to register, and whether the
/// gateway registry is enforced.
public struct AccessConfiguration: Sendable {
    /// Roles and scopes.
    public var policy: AccessPolicy
    /// Gateways the file defines; somd writes them into the registry at start (audited).
    public var gateways: [GatewayDefinition]
    /// Refuse pulls and reports for unregistered gateways and hold their commands, even while the
    /// registry is empty.
    public var requireRegisteredGateways: Bool

    /// A configuration from its parts (tests, embedders; somd reads `AccessFile`).
    public init(policy: AccessPolicy, gateways: [GatewayDefinition], requireRegisteredGateways: Bool) {
        self.policy = policy
        self.gateways = gateways
        self.requireRegisteredGateways = requireRegisteredGateways
    }

    /// No access file: everyone allowed on the socket is admin; the registry is enforced once it
    /// holds a gateway.
    public static func unconfigured(serverUID: UInt32) -> AccessConfiguration {
        AccessConfiguration(policy: .unconfigured(serverUID: serverUID), gateways: [], requireRegisteredGateways: false)
    }
}

/// The access file somd reads with `--access` (JSON); docs/operations.md "Roles" has the schema.
///
/// ```json
/// {"rules": [{"name": "cis", "uids": [1101], "roles": ["submitter", "reader"], "sources": ["CIS"]},
///            {"name": "operators", "gids": [2000], "roles": ["operator", "reader"]},
///            {"name": "headend-north", "uids": [1201], "roles": ["gateway-adapter"]},
///            {"name": "crews", "uids": [1301], "roles": ["field-adapter"], "pools": ["NORTH"]}],
///  "gateways": [{"id": "GW-NORTH", "name": "North head-end", "uids": [1201], "commandsPerSecond": 50, "maxInFlight": 500}],
///  "requireRegisteredGateways": true}
/// ```
/// Unknown keys are errors (a misspelt "role" must not silently grant nothing or everything).
public enum AccessFile {
    /// Why an access file was refused.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads and checks the file at `path`.
    public static func load(_ path: String, serverUID: UInt32) throws(Invalid) -> AccessConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw Invalid(description: "cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(data, path: path, serverUID: serverUID)
    }

    /// Checks the file's contents; `path` names it in errors.
    public static func parse(_ data: Data, path: String, serverUID: UInt32) throws(Invalid) -> AccessConfiguration {
        let document: JSONValue
        do { document = try JSONValue(parsing: Array(data)) } catch {
            throw Invalid(description: "\(path) is not valid JSON: \(error)")
        }
        let reader = Reader(path: path)
        let top = try reader.object(document, "", ["rules", "gateways", "requireRegisteredGateways"])
        var rules: [AccessRule] = []
        for (index, item) in try reader.array(top["rules"], "rules").enumerated() {
            rules.append(try reader.rule(item, "rules[\(index)]"))
        }
        var gateways: [GatewayDefinition] = []
        for (index, item) in try reader.array(top["gateways"], "gateways").enumerated() {
            let gateway = try reader.gateway(item, "gateways[\(index)]")
            guard !gateways.contains(where: { $0.gatewayID == gateway.gatewayID }) else {
                throw Invalid(description: "\(path): gateways[\(index)].id: \(gateway.gatewayID) is defined twice")
            }
            gateways.append(gateway)
        }
        var require = true
        if let given = top["requireRegisteredGateways"] {
            guard case .bool(let flag) = given else { throw Invalid(description: "\(path): requireRegisteredGateways must be true or false") }
            require = flag
        }
        return AccessConfiguration(policy: AccessPolicy(rules: rules, serverUID: serverUID), gateways: gateways, requireRegisteredGateways: require)
    }

    /// The short name of a source system ("CIS"), as the access file and refusals spell it.
    public static func name(of source: SourceSystem) -> String {
        let full = source.protoName ?? "\(source)"
        return full.hasPrefix("SOURCE_SYSTEM_") ? String(full.dropFirst("SOURCE_SYSTEM_".count)) : full
    }

    /// The source system named `text` ("CIS" or "SOURCE_SYSTEM_CIS", any case).
    static func source(named text: String) -> SourceSystem? {
        SourceSystem.allCases.first {
            $0 != .unspecified && (name(of: $0).caseInsensitiveCompare(text) == .orderedSame
                || ($0.protoName ?? "").caseInsensitiveCompare(text) == .orderedSame)
        }
    }
}

/// Field-by-field reading with errors that name the file and the field.
private struct Reader {
    let path: String

    func fail(_ field: String, _ why: String) -> AccessFile.Invalid {
        AccessFile.Invalid(description: "\(path): \(field.isEmpty ? "" : field + ": ")\(why)")
    }

    /// The members of an object, refusing unknown and repeated keys.
    func object(_ value: JSONValue, _ field: String, _ allowed: Set<String>) throws(AccessFile.Invalid) -> [String: JSONValue] {
        guard case .object(let members) = value else { throw fail(field, "must be a JSON object") }
        var result: [String: JSONValue] = [:]
        for (key, member) in members {
            guard allowed.contains(key) else {
                throw fail(field, "unknown key \"\(key)\" (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard result.updateValue(member, forKey: key) == nil else { throw fail(field, "key \"\(key)\" appears twice") }
        }
        return result
    }

    func array(_ value: JSONValue?, _ field: String) throws(AccessFile.Invalid) -> [JSONValue] {
        guard let value else { return [] }
        guard case .array(let elements) = value else { throw fail(field, "must be an array") }
        return elements
    }

    func string(_ value: JSONValue?, _ field: String) throws(AccessFile.Invalid) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else { throw fail(field, "must be a string") }
        return text
    }

    func strings(_ value: JSONValue?, _ field: String) throws(AccessFile.Invalid) -> [String]? {
        guard let value else { return nil }
        var texts: [String] = []
        for element in try array(value, field) {
            guard case .string(let text) = element else { throw fail(field, "must be an array of strings") }
            texts.append(text)
        }
        return texts
    }

    func ids(_ value: JSONValue?, _ field: String) throws(AccessFile.Invalid) -> Set<UInt32> {
        var ids: Set<UInt32> = []
        for element in try array(value, field) {
            guard case .number(let text) = element, let id = UInt32(text) else {
                throw fail(field, "\(element) is not a numeric id (0…4294967295)")
            }
            ids.insert(id)
        }
        return ids
    }

    func rule(_ value: JSONValue, _ field: String) throws(AccessFile.Invalid) -> AccessRule {
        let fields = try object(value, field, ["name", "uids", "gids", "roles", "sources", "pools"])
        let name = try string(fields["name"], field + ".name") ?? field
        let uids = try ids(fields["uids"], field + ".uids")
        let gids = try ids(fields["gids"], field + ".gids")
        guard !uids.isEmpty || !gids.isEmpty else { throw fail(field, "names no uids and no gids, so it matches nobody") }
        let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
        guard let roleNames = try strings(fields["roles"], field + ".roles"), !roleNames.isEmpty else {
            throw fail(field + ".roles", "is required (one or more of \(known))")
        }
        var roles: Set<Role> = []
        for roleName in roleNames {
            guard let role = Role(rawValue: roleName) else { throw fail(field + ".roles", "unknown role \"\(roleName)\" (known: \(known))") }
            roles.insert(role)
        }
        var sources: Set<SourceSystem>?
        if let names = try strings(fields["sources"], field + ".sources") {
            guard roles.contains(.submitter) else { throw fail(field + ".sources", "only applies to the submitter role") }
            var set: Set<SourceSystem> = []
            for sourceName in names {
                guard let source = AccessFile.source(named: sourceName) else {
                    let systems = SourceSystem.allCases.filter { $0 != .unspecified }.map(AccessFile.name(of:))
                    throw fail(field + ".sources", "unknown source system \"\(sourceName)\" (known: \(systems.joined(separator: ", ")))")
                }
                set.insert(source)
            }
            sources = set
        }
        var pools: Set<String>?
        if let names = try strings(fields["pools"], field + ".pools") {
            guard roles.contains(.fieldAdapter) else { throw fail(field + ".pools", "only applies to the field-adapter role") }
            pools = Set(names)
        }
        return AccessRule(name: name, uids: uids, gids: gids, roles: roles, sources: sources, pools: pools)
    }

    func gateway(_ value: JSONValue, _ field: String) throws(AccessFile.Invalid) -> GatewayDefinition {
        let fields = try object(value, field, ["id", "name", "uids", "gids", "commandsPerSecond", "maxInFlight"])
        guard let id = try string(fields["id"], field + ".id") else { throw fail(field + ".id", "is required") }
        var gateway = GatewayDefinition(gatewayID: id, name: try string(fields["name"], field + ".name") ?? "")
        gateway.uids = try ids(fields["uids"], field + ".uids").sorted()
        gateway.gids = try ids(fields["gids"], field + ".gids").sorted()
        if let rate = fields["commandsPerSecond"] {
            guard case .number(let text) = rate, let number = Double(text) else { throw fail(field + ".commandsPerSecond", "must be a number") }
            gateway.commandsPerSecond = number
        }
        if let limit = fields["maxInFlight"] {
            guard case .number(let text) = limit, let number = UInt32(text) else {
                throw fail(field + ".maxInFlight", "must be a whole number 0…4294967295")
            }
            gateway.maxInFlight = number
        }
        do throws(FieldViolation) { try GatewayChecks.check(gateway) } catch {
            throw fail(field, error.description)
        }
        return gateway
    }
}
