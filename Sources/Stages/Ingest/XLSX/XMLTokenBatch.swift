/// Complete XML tokens of one stretch of an inflated part, with the bytes they point into.
///
/// Made on the inflating thread (`XMLTokenizer`) and read on the calling thread, so that cutting tokens, about a
/// third of the work of reading a sheet, runs on the other core.
struct XMLTokenBatch: Sendable {
    /// The bytes the tokens' ranges point into.
    var bytes: [UInt8] = []
    /// The tokens, in order.
    var tokens: [XMLToken] = []
    /// Bytes held back after the last token because they do not finish it; they start the next batch.
    var pendingCount = 0
    /// Whether this is the part's last batch; its `pendingCount` bytes then never became a token.
    var isLast = false

    /// Calls `visit` with each token in order.
    @inline(__always)
    func forEachToken(_ visit: (UnsafeBufferPointer<UInt8>, XMLToken) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { p in
            try tokens.withUnsafeBufferPointer { tokens in
                for token in tokens { try visit(p, token) }
            }
        }
    }
}

/// Cuts an inflated part into `XMLTokenBatch`es, holding back the unfinished token at the end of each chunk
/// until the next chunk completes it.
///
/// Memory stays bounded by the chunk size plus one pending token, whatever the part's length.
struct XMLTokenizer {
    private var pending: [UInt8] = []

    /// Fills `batch` with the held-back bytes, then `chunk`, and the complete tokens among them.
    ///
    /// On a scanner error, `batch` holds the tokens before it.
    mutating func cut(_ chunk: UnsafeRawBufferPointer, into batch: inout XMLTokenBatch) throws {
        start(&batch)
        batch.bytes.append(contentsOf: chunk.assumingMemoryBound(to: UInt8.self))
        try scan(&batch, isFinal: false)
    }

    /// Fills `batch` with the tokens of the held-back bytes at the end of the part; what is still left over never
    /// made a token (the XML ends inside a tag).
    mutating func finish(into batch: inout XMLTokenBatch) throws {
        start(&batch)
        batch.isLast = true
        try scan(&batch, isFinal: true)
    }

    private func start(_ batch: inout XMLTokenBatch) {
        batch.bytes.removeAll(keepingCapacity: true)
        batch.tokens.removeAll(keepingCapacity: true)
        batch.pendingCount = 0
        batch.isLast = false
        batch.bytes.append(contentsOf: pending)
    }

    private mutating func scan(_ batch: inout XMLTokenBatch, isFinal: Bool) throws {
        var tokens: [XMLToken] = []
        swap(&tokens, &batch.tokens)
        var i = 0
        defer {
            swap(&tokens, &batch.tokens)
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: batch.bytes[i...])
            batch.pendingCount = pending.count
        }
        try batch.bytes.withUnsafeBufferPointer { p in
            while let token = try XMLScanner.next(p, &i, isFinal: isFinal) { tokens.append(token) }
        }
    }
}
