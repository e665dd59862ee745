public import Foundation

/// The listening socket systemd passes to a socket-activated service (`sd_listen_fds(3)`, read
/// without libsystemd): `LISTEN_PID` names this process, `LISTEN_FDS` counts descriptors from 3,
/// and `LISTEN_FDNAMES` (colon-separated) names them after the socket unit's `FileDescriptorName=`.
public enum SocketActivation {
    /// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
    public static let firstDescriptor: Int32 = 3

    /// Why the passed sockets cannot be used.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The descriptor to serve, or nil when this process was not socket-activated.
    ///
    /// With several sockets, the one named `preferredName` is taken; without that name, the first.
    /// - Throws: `Failure` when the variables are there but malformed.
    public static func listener(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        pid: Int32 = ProcessInfo.processInfo.processIdentifier,
        preferredName: String = "som"
    ) throws -> Int32? {
        guard let pidText = environment["LISTEN_PID"], let countText = environment["LISTEN_FDS"] else { return nil }
        // Inherited from a parent that was activated, not meant for us: ignore, as sd_listen_fds does.
        guard Int32(pidText) == pid else { return nil }
        guard let count = Int32(countText), count >= 0 else {
            throw Failure(description: "LISTEN_FDS=\(countText) is not a descriptor count")
        }
        guard count > 0 else { return nil }
        let names = environment["LISTEN_FDNAMES"].map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) } ?? []
        let index = names.prefix(Int(count)).firstIndex(of: preferredName) ?? 0
        return firstDescriptor + Int32(index)
    }
}
