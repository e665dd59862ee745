internal import CLMDB

/// Runs `body` with an `MDB_val` that points at `bytes`.
///
/// Lifetime: the `MDB_val` borrows the collection's contiguous storage (or a temporary copy when the
/// collection has none) and is valid only inside `body`. LMDB reads input keys and values during the
/// call and never keeps the pointer, so nothing escapes. The pointer is cast to mutable only because
/// `MDB_val.mv_data` is declared `void *`; LMDB does not write through it (we never pass `MDB_RESERVE`).
func withMDBVal<Bytes: Collection<UInt8>, R>(
    _ bytes: Bytes,
    _ body: (inout MDB_val) throws(LMDBError) -> R
) throws(LMDBError) -> R {
    let contiguous: Result<R, LMDBError>? = bytes.withContiguousStorageIfAvailable { buffer in
        var value = MDB_val(mv_size: buffer.count, mv_data: UnsafeMutableRawPointer(mutating: buffer.baseAddress))
        return Result { () throws(LMDBError) -> R in try body(&value) }
    }
    if let contiguous {
        return try contiguous.get()
    }
    // Not contiguous (e.g. a lazy collection): copy once into an Array, which always is.
    return try withMDBVal(Array(bytes), body)
}

extension MDB_val {
    /// A copy of the bytes this value points at.
    ///
    /// Lifetime: `mv_data` points into the memory map (or a dirty page of a write transaction) and is
    /// valid only until the transaction ends or, in a write transaction, until the next write. Copying
    /// here, right after the C call that filled it in, is what lets every public API return `[UInt8]`.
    var copiedBytes: [UInt8] {
        guard let start = mv_data, mv_size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: mv_size))
    }
}
