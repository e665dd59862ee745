/// Fixed-width big-endian integer keys.
///
/// LMDB's default key order compares bytes left to right, so an unsigned integer stored
/// most-significant byte first sorts in numeric order: `1.bigEndianBytes < 256.bigEndianBytes`.
/// Never store an integer's in-memory bytes: they are little-endian on every platform we run on.
/// Signed integers are deliberately not supported (negative values would sort after positive ones).
public enum KeyEncoding {
    /// `value` as `MemoryLayout<T>.size` bytes, most significant first.
    public static func bigEndianBytes<T: FixedWidthInteger & UnsignedInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// Reads a big-endian `T` from exactly `MemoryLayout<T>.size` bytes; `nil` for any other count.
    public static func decode<T: FixedWidthInteger & UnsignedInteger & BitwiseCopyable>(
        _ type: T.Type = T.self,
        bigEndianBytes bytes: some Collection<UInt8>
    ) -> T? {
        guard bytes.count == MemoryLayout<T>.size else { return nil }
        // Lifetime: the raw buffer borrows the bytes only for this load. loadUnaligned because a
        // slice of a key has no alignment guarantee.
        let stored = bytes.withContiguousStorageIfAvailable { UnsafeRawBufferPointer($0).loadUnaligned(as: T.self) }
            ?? Array(bytes).withUnsafeBytes { $0.loadUnaligned(as: T.self) }
        return T(bigEndian: stored)
    }
}

extension UInt64 {
    /// The 8 bytes of this value, most significant first, so byte order equals numeric order.
    public var bigEndianBytes: [UInt8] { KeyEncoding.bigEndianBytes(self) }

    /// Reads a value written by ``bigEndianBytes``; `nil` unless `bytes` has exactly 8 elements.
    /// Use a slice for a field inside a longer key: `UInt64(bigEndianBytes: key.suffix(8))`.
    public init?(bigEndianBytes bytes: some Collection<UInt8>) {
        guard let value = KeyEncoding.decode(UInt64.self, bigEndianBytes: bytes) else { return nil }
        self = value
    }
}

extension UInt32 {
    /// The 4 bytes of this value, most significant first, so byte order equals numeric order.
    public var bigEndianBytes: [UInt8] { KeyEncoding.bigEndianBytes(self) }

    /// Reads a value written by ``bigEndianBytes``; `nil` unless `bytes` has exactly 4 elements.
    public init?(bigEndianBytes bytes: some Collection<UInt8>) {
        guard let value = KeyEncoding.decode(UInt32.self, bigEndianBytes: bytes) else { return nil }
        self = value
    }
}

extension UInt16 {
    /// The 2 bytes of this value, most significant first, so byte order equals numeric order.
    public var bigEndianBytes: [UInt8] { KeyEncoding.bigEndianBytes(self) }

    /// Reads a value written by ``bigEndianBytes``; `nil` unless `bytes` has exactly 2 elements.
    public init?(bigEndianBytes bytes: some Collection<UInt8>) {
        guard let value = KeyEncoding.decode(UInt16.self, bigEndianBytes: bytes) else { return nil }
        self = value
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` big-endian; for building composite keys such as `[tag] + id + sequence`.
    public mutating func appendBigEndian<T: FixedWidthInteger & UnsignedInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
