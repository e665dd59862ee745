internal import SOMProto

/// The shared steps of decoding and encoding through protobuf-c, used by the generated code.
///
/// Memory rule: a message unpacked by protobuf-c is freed in the same scope that unpacked it
/// (`defer free`), and every string, byte array and sub-message is copied into Swift values
/// before that. Nothing protobuf-c allocated outlives the call.
enum CBridge {
    typealias Unpack<C> = (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<C>?
    typealias Free<C> = (UnsafeMutablePointer<C>?, UnsafeMutablePointer<ProtobufCAllocator>?) -> Void

    static func decode<C, M>(
        _ bytes: some Collection<UInt8>,
        unpack: Unpack<C>,
        free: Free<C>,
        convert: (UnsafePointer<C>) throws(CodecError) -> M
    ) throws(CodecError) -> M {
        guard bytes.count <= CodecLimits.maxMessageSize else {
            throw .tooLarge(size: bytes.count, limit: CodecLimits.maxMessageSize)
        }
        let result: Result<M, CodecError>? = bytes.withContiguousStorageIfAvailable { buffer in
            decodeContiguous(buffer, unpack: unpack, free: free, convert: convert)
        }
        if let result { return try result.get() }
        // Not contiguous (rare: a lazy collection); copy once.
        return try Array(bytes).withUnsafeBufferPointer { buffer in
            decodeContiguous(buffer, unpack: unpack, free: free, convert: convert)
        }.get()
    }

    private static func decodeContiguous<C, M>(
        _ buffer: UnsafeBufferPointer<UInt8>,
        unpack: Unpack<C>,
        free: Free<C>,
        convert: (UnsafePointer<C>) throws(CodecError) -> M
    ) -> Result<M, CodecError> {
        // protobuf-c reads `buffer` only during unpack; it copies what it keeps.
        // A zero-length input is a valid empty message; give protobuf-c a valid pointer anyway.
        var empty: UInt8 = 0
        let message: UnsafeMutablePointer<C>? = withUnsafePointer(to: &empty) { fallback in
            unpack(nil, buffer.count, buffer.baseAddress ?? fallback)
        }
        guard let message else { return .failure(.malformed(message: "input")) }
        defer { free(message, nil) }
        do {
            return .success(try convert(message))
        } catch {
            return .failure(error)
        }
    }

    static func encode<C>(
        _ type: C.Type,
        initialize: (UnsafeMutablePointer<C>?) -> Void,
        size: (UnsafePointer<C>?) -> Int,
        pack: (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int,
        fill: (UnsafeMutablePointer<C>, CArena) -> Void
    ) -> [UInt8] {
        let arena = CArena()
        defer { arena.releaseAll() }
        let message = arena.message(type, initialize: initialize) { fill($0, arena) }
        let count = size(message)
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = count == 0 ? 0 : pack(message, buffer.baseAddress)
        }
    }

    // MARK: reading C fields (pointers valid until the enclosing free)

    static func string(_ pointer: UnsafeMutablePointer<CChar>?, field: String) throws(CodecError) -> String {
        guard let pointer else { return "" }
        if pointer.pointee == 0 { return "" }
        guard let value = String(validatingCString: pointer) else { throw .invalidUTF8(field: field) }
        return value
    }

    static func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, count: Int, field: String) throws(CodecError) -> [String] {
        guard let pointer, count > 0 else { return [] }
        var result: [String] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            result.append(try string(pointer[index], field: field))
        }
        return result
    }

    static func bytes(_ value: ProtobufCBinaryData) -> [UInt8] {
        guard let data = value.data, value.len > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: value.len))
    }

    static func byteArrays(_ pointer: UnsafeMutablePointer<ProtobufCBinaryData>?, count: Int) -> [[UInt8]] {
        guard let pointer, count > 0 else { return [] }
        return (0..<count).map { bytes(pointer[$0]) }
    }

    static func scalars<T>(_ pointer: UnsafeMutablePointer<T>?, count: Int) -> [T] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    static func messages<C, M>(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<C>?>?,
        count: Int,
        convert: (UnsafePointer<C>) throws(CodecError) -> M
    ) throws(CodecError) -> [M] {
        guard let pointer, count > 0 else { return [] }
        var result: [M] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let element = pointer[index] else { throw .malformed(message: "repeated message element") }
            result.append(try convert(element))
        }
        return result
    }
}
