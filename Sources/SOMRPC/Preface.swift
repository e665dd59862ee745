public import NIOCore

/// The 8 bytes each side sends first: `S O M R P C`, the major and the minor version.
///
/// A peer that sends anything else gets a GOAWAY with a readable reason instead of garbage.
public enum Preface {
    /// The magic, ASCII "SOMRPC".
    public static let magic: [UInt8] = Array("SOMRPC".utf8)
    /// Protocol major version; a different major is refused.
    public static let majorVersion: UInt8 = 1
    /// Protocol minor version; minors are compatible.
    public static let minorVersion: UInt8 = 0
    /// Total length of the preface.
    public static let size = 8

    /// The preface bytes this build sends.
    public static var bytes: [UInt8] { magic + [majorVersion, minorVersion] }

    /// Reads a preface once 8 bytes are available.
    ///
    /// - Returns: nil when fewer than 8 bytes are buffered (nothing is consumed).
    /// - Throws: `FrameError.badPreface` or `.unsupportedVersion`.
    public static func read(from buffer: inout ByteBuffer) throws(FrameError) -> (major: UInt8, minor: UInt8)? {
        // Reject early: a wrong peer (an HTTP client, say) is told after its first byte, not after 8.
        let available = min(buffer.readableBytes, magic.count)
        if let prefix = buffer.getBytes(at: buffer.readerIndex, length: available), prefix != Array(magic.prefix(available)) {
            throw .badPreface
        }
        guard let bytes = buffer.readBytes(length: size) else { return nil }
        let major = bytes[6], minor = bytes[7]
        guard major == majorVersion else { throw .unsupportedVersion(major: major, minor: minor) }
        return (major, minor)
    }
}
