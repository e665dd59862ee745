internal import CLMDB

extension Environment {
    /// One occupied slot of the reader table (every process using the environment).
    public struct ReaderSlot: Sendable, Hashable {
        /// The process holding the slot.
        public var pid: Int32
        /// The snapshot (transaction id) it reads, or nil when the slot is idle.
        public var transactionID: UInt64?
    }

    /// The reader table. A slot that reads an old snapshot keeps every page freed since then from
    /// being reused, so the file grows; operators need to see it.
    ///
    /// Corresponds to `mdb_reader_list`, whose text lines ("pid thread txnid") are parsed here.
    /// - Throws: ``LMDBError/invalidArgument`` after ``close()``.
    public var readers: [ReaderSlot] {
        get throws(LMDBError) {
            try withHandle { env throws(LMDBError) in
                let lines = LineCollector()
                let context = Unmanaged.passUnretained(lines).toOpaque()
                let rc = mdb_reader_list(env, { message, context in
                    guard let message, let context else { return 0 }
                    Unmanaged<LineCollector>.fromOpaque(context).takeUnretainedValue().lines.append(String(cString: message))
                    return 0
                }, context)
                guard rc >= 0 else { throw LMDBError(code: rc) }
                return lines.lines.joined().split(separator: "\n").compactMap { line -> ReaderSlot? in
                    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                    guard fields.count == 3, let pid = Int32(fields[0]) else { return nil }
                    return ReaderSlot(pid: pid, transactionID: UInt64(fields[2]))
                }
            }
        }
    }
}

/// Gathers `mdb_reader_list`'s callback text; used only within one synchronous call.
private final class LineCollector {
    var lines: [String] = []
}
