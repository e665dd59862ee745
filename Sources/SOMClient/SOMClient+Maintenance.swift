public import SOMCodec
public import SOMTransport

extension SOMClient {
    /// `som.v1.Admin/Backup`: the server writes a verified, compacted copy of its store into `destination`.
    public func backup(to destination: String, options: CallOptions = CallOptions()) async throws -> BackupResponse {
        try await rpc.unary("/som.v1.Admin/Backup", BackupRequest(destination: destination), options: options)
    }

    /// `som.v1.Admin/Archive`: moves finished orders older than `seconds` to an archive file now.
    public func archive(olderThanSeconds seconds: UInt64, options: CallOptions = CallOptions()) async throws -> ArchiveResponse {
        try await rpc.unary("/som.v1.Admin/Archive", ArchiveRequest(olderThanSeconds: seconds), options: options)
    }
}
