/// Which roles may call each method: the one table authorization reads (admin may call everything,
/// so it is not listed). A method missing here is for admin only, so a new method is closed until
/// someone decides who may call it.
public enum MethodRoles {
    /// Every role: methods any caller with at least one role may use (health, echo).
    static let anyRole = Set(Role.allCases)

    /// Method path → the roles (besides admin) that may call it.
    public static let table: [String: Set<Role>] = [
        "/som.v1.Orders/Submit": [.submitter],
        "/som.v1.Orders/SubmitBatch": [.submitter],
        // A submitter only for its own source systems' orders (checked in the service).
        "/som.v1.Orders/Cancel": [.submitter, .operator],
        "/som.v1.Orders/Get": [.reader],
        "/som.v1.Orders/List": [.reader],
        "/som.v1.Orders/Watch": [.reader],
        "/som.v1.Devices/Get": [.reader],
        "/som.v1.Devices/Upsert": [.operator],
        "/som.v1.Admin/Health": anyRole,
        "/som.v1.Admin/Echo": anyRole,
        "/som.v1.Admin/EchoStream": anyRole,
        "/som.v1.Admin/EchoCollect": anyRole,
        "/som.v1.Admin/EchoBidi": anyRole,
        "/som.v1.Admin/Stats": [.reader],
        "/som.v1.Admin/ListMoratoria": [.reader, .operator],
        "/som.v1.Admin/ListHolds": [.reader, .operator],
        "/som.v1.Admin/ListAudit": [.reader, .operator],
        "/som.v1.Admin/SetMoratorium": [.operator],
        "/som.v1.Admin/ClearMoratorium": [.operator],
        "/som.v1.Admin/ReleaseHold": [.operator],
        // Backup and archive: admin, and then only root or somd's own user (MaintenanceService).
        "/som.v1.Gateways/PullCommands": [.gatewayAdapter],
        "/som.v1.Gateways/ReportResults": [.gatewayAdapter],
        "/som.v1.Gateways/ExtendLease": [.gatewayAdapter],
        "/som.v1.Gateways/List": [.reader, .operator],
        "/som.v1.Gateways/ListRegistered": [.reader, .operator, .gatewayAdapter],
        // Add, Set, Remove: admin only; binding a uid to a gateway hands it that head-end's commands.
        "/som.v1.FieldWork/Pull": [.fieldAdapter],
        "/som.v1.FieldWork/Update": [.fieldAdapter],
        "/som.v1.FieldWork/Complete": [.fieldAdapter],
        "/som.v1.FieldWork/NotDone": [.fieldAdapter],
        "/som.v1.FieldWork/AcknowledgeCancel": [.fieldAdapter],
        "/som.v1.FieldWork/Stats": [.reader, .fieldAdapter],
    ]

    /// The roles that may call `path`, admin included.
    public static func roles(for path: String) -> Set<Role> {
        (table[path] ?? []).union([.admin])
    }

    /// True when a caller holding `held` may call `path`.
    public static func allows(_ held: Set<Role>, _ path: String) -> Bool {
        !held.isDisjoint(with: roles(for: path))
    }
}
