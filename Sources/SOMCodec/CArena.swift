internal import SOMProto

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A bump allocator for the C structs built while encoding one message.
///
/// Memory rule: everything allocated here lives until `releaseAll()`, which `CBridge.encode`
/// calls after `pack` has copied the message into the output array. Encoding a message
/// therefore costs a few large mallocs instead of one per string and sub-message.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0
    private static let blockSize = 4096

    func releaseAll() {
        for block in blocks { free(block) }
        blocks.removeAll()
        cursor = nil
        remaining = 0
    }

    deinit { releaseAll() }

    /// Raw, zeroed memory aligned to 16 bytes.
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = (max(byteCount, 1) + 15) & ~15
        if size > remaining {
            let blockSize = max(size, Self.blockSize)
            guard let block = malloc(blockSize) else { fatalError("out of memory encoding a message") }
            blocks.append(block)
            cursor = block
            remaining = blockSize
        }
        let pointer = cursor!
        cursor = pointer + size
        remaining -= size
        memset(pointer, 0, size)
        return pointer
    }

    func message<C>(_ type: C.Type, initialize: (UnsafeMutablePointer<C>?) -> Void, fill: (UnsafeMutablePointer<C>) -> Void) -> UnsafeMutablePointer<C> {
        let pointer = allocate(byteCount: MemoryLayout<C>.stride).bindMemory(to: C.self, capacity: 1)
        initialize(pointer)
        fill(pointer)
        return pointer
    }

    func messages<M, C>(
        _ values: [M],
        _ type: C.Type,
        initialize: (UnsafeMutablePointer<C>?) -> Void,
        fill: (M, UnsafeMutablePointer<C>) -> Void
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<C>?>? {
        guard !values.isEmpty else { return nil }
        let array = allocate(byteCount: MemoryLayout<UnsafeMutablePointer<C>?>.stride * values.count)
            .bindMemory(to: UnsafeMutablePointer<C>?.self, capacity: values.count)
        for (index, value) in values.enumerated() {
            array[index] = message(type, initialize: initialize) { fill(value, $0) }
        }
        return array
    }

    func string(_ value: String) -> UnsafeMutablePointer<CChar> {
        var value = value
        return value.withUTF8 { utf8 in
            let pointer = allocate(byteCount: utf8.count + 1).bindMemory(to: CChar.self, capacity: utf8.count + 1)
            if let base = utf8.baseAddress {
                UnsafeMutableRawPointer(pointer).copyMemory(from: base, byteCount: utf8.count)
            }
            pointer[utf8.count] = 0
            return pointer
        }
    }

    func strings(_ values: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !values.isEmpty else { return nil }
        let array = allocate(byteCount: MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * values.count)
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: values.count)
        for (index, value) in values.enumerated() { array[index] = string(value) }
        return array
    }

    func bytes(_ value: [UInt8]) -> ProtobufCBinaryData {
        var data = ProtobufCBinaryData()
        guard !value.isEmpty else { return data }
        let pointer = allocate(byteCount: value.count).bindMemory(to: UInt8.self, capacity: value.count)
        value.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: value.count) }
        data.len = value.count
        data.data = pointer
        return data
    }

    func byteArrays(_ values: [[UInt8]]) -> UnsafeMutablePointer<ProtobufCBinaryData>? {
        guard !values.isEmpty else { return nil }
        let array = allocate(byteCount: MemoryLayout<ProtobufCBinaryData>.stride * values.count)
            .bindMemory(to: ProtobufCBinaryData.self, capacity: values.count)
        for (index, value) in values.enumerated() { array[index] = bytes(value) }
        return array
    }

    func scalars<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let array = allocate(byteCount: MemoryLayout<T>.stride * values.count).bindMemory(to: T.self, capacity: values.count)
        values.withUnsafeBufferPointer { array.initialize(from: $0.baseAddress!, count: values.count) }
        return array
    }
}
