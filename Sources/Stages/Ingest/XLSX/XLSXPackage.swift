import Foundation
import ZIPFoundation

/// The zip container of an `.xlsx` file: finds parts and inflates them in chunks under `WorkbookLimits`.
///
/// ZIPFoundation opens the archive and lists its entries; `ZipEntryInflater` inflates them (see there why).
final class XLSXPackage {
    let path: String
    let limits: WorkbookLimits
    private let file: ZipFile
    /// Entries by normalised path (lowercased, `/` separators, no leading `/`): writers differ in case and slashes.
    private let entries: [String: ZipDirectory.Record]

    /// Opens the archive; a file that is not a readable zip is a `damagedArchive`.
    init(path: String, limits: WorkbookLimits) throws {
        self.path = path
        self.limits = limits
        let damaged = WorkbookError(.damagedArchive, path: path, message: "the zip directory cannot be read")
        let listed: [Entry]
        let directory: ZipDirectory
        do {
            listed = Array(try Archive(url: URL(fileURLWithPath: path), accessMode: .read))
            file = try ZipFile(path: path)
            directory = try ZipDirectory(file)
        } catch {
            throw damaged
        }
        var byPath: [String: ZipDirectory.Record] = [:]
        // ZIPFoundation lists the central directory's records in order, as ZipDirectory reads them.
        for (index, entry) in listed.enumerated() where byPath[Self.normalise(entry.path)] == nil {
            guard index < directory.records.count, directory.records[index].packedSize == entry.compressedSize else {
                throw damaged
            }
            byPath[Self.normalise(entry.path)] = directory.records[index]
        }
        entries = byPath
    }

    /// The lookup key of a part path.
    static func normalise(_ partPath: String) -> String {
        var key = partPath.replacingOccurrences(of: "\\", with: "/").lowercased()
        while key.hasPrefix("/") { key.removeFirst() }
        return key
    }

    /// Whether the archive holds this part.
    func contains(_ partPath: String) -> Bool { entries[Self.normalise(partPath)] != nil }

    /// Most bytes of one inflated chunk (64 KiB to 1 MiB measured within run-to-run noise on the 1 000 000-row bench).
    static let chunkSize = 256 * 1024
    /// How many batches the inflating thread may run ahead of the reader (2 to 8 measured within noise).
    static let chunksAhead = 4

    /// Bytes held back for one unfinished token past which reading stops (`checkPending` in the readers).
    var pendingLimit: Int { limits.maxCellBytes + 65_536 }

    /// Inflates a part and cuts it into XML tokens on a thread of its own, while `consume` takes the batches in
    /// order on the calling thread; false when the part is absent.
    ///
    /// The size and ratio caps are checked as chunks are inflated; at most `chunksAhead` batches wait for
    /// `consume`, so memory does not grow with the part. A batch whose `pendingCount` passes `pendingLimit`
    /// is the last one: `consume` must throw on it (`checkPending`). Errors thrown by `consume` reach the caller
    /// unchanged and stop the inflating thread, which is always finished when `streamTokens` returns; zip and
    /// inflate failures become `damagedArchive`; scanner errors (`XMLScanError`) come after the tokens before them.
    @discardableResult
    func streamTokens(_ partPath: String, _ consume: (XMLTokenBatch) throws -> Void) throws -> Bool {
        guard let part = part(partPath) else { return false }
        try BoundedPipe<XMLTokenBatch>.run(capacity: Self.chunksAhead, produce: part.tokenize) { pipe in
            while let batch = try pipe.pop() {
                try consume(batch)
                pipe.recycle(batch)
            }
        }
        return true
    }

    /// The whole (small) part as bytes, or nil when absent: workbook, relationships, styles.
    ///
    /// Inflated on the calling thread: a thread of its own would cost more than these parts take to inflate.
    func read(_ partPath: String) throws -> [UInt8]? {
        guard let part = part(partPath) else { return nil }
        var bytes: [UInt8] = []
        try part.inflate { chunk in bytes.append(contentsOf: chunk) }
        return bytes
    }

    private func part(_ partPath: String) -> Part? {
        entries[Self.normalise(partPath)].map {
            Part(name: partPath, record: $0, file: file, path: path, limits: limits, pendingLimit: pendingLimit)
        }
    }

    /// One part to inflate, with all the inflating thread needs.
    private struct Part: Sendable {
        let name: String
        let record: ZipDirectory.Record
        let file: ZipFile
        /// The workbook, for messages.
        let path: String
        let limits: WorkbookLimits
        let pendingLimit: Int

        /// Inflates the part on the current thread, checking the caps before `take` gets each chunk.
        ///
        /// Errors thrown by `take` reach the caller unchanged; zip and inflate failures become `damagedArchive`.
        func inflate(_ take: (UnsafeRawBufferPointer) throws -> Void) throws {
            var inflated: Int64 = 0
            let compressed = max(Int64(clamping: record.packedSize), 1)
            do {
                let inflater = try ZipEntryInflater(record, in: file, chunkSize: XLSXPackage.chunkSize)
                try inflater.inflate { chunk in
                    inflated += Int64(chunk.count)
                    try checkBomb(inflated: inflated, compressed: compressed)
                    try take(chunk)
                }
            } catch let error as ZipReadError {
                throw WorkbookError(.damagedArchive, path: path, message: "part \(name) cannot be inflated: \(error)")
            }
        }

        /// The work of the inflating thread of `streamTokens`: chunks cut into token batches pushed to the pipe.
        func tokenize(into pipe: BoundedPipe<XMLTokenBatch>) throws {
            var tokenizer = XMLTokenizer()
            try inflate { chunk in
                var batch = pipe.spare() ?? XMLTokenBatch()
                do {
                    try tokenizer.cut(chunk, into: &batch)
                } catch {
                    _ = pipe.push(batch)  // the tokens before the error are read first
                    throw error
                }
                guard pipe.push(batch) else { throw CancellationError() }
                // The reader throws on this batch (checkPending): stop instead of holding back more.
                if batch.pendingCount > pendingLimit { throw CancellationError() }
            }
            var last = pipe.spare() ?? XMLTokenBatch()
            do {
                try tokenizer.finish(into: &last)
            } catch {
                _ = pipe.push(last)
                throw error
            }
            _ = pipe.push(last)
        }

        private func checkBomb(inflated: Int64, compressed: Int64) throws {
            if inflated > limits.maxInflatedBytes {
                throw WorkbookError(
                    .zipBomb, path: path, message: "part \(name) exceeds \(limits.maxInflatedBytes) inflated bytes")
            }
            let ratio = Double(inflated) / Double(compressed)
            if inflated > limits.ratioCheckThreshold, ratio > limits.maxCompressionRatio {
                throw WorkbookError(
                    .zipBomb, path: path,
                    message: "part \(name) inflates more than \(Int(limits.maxCompressionRatio)) times its packed size")
            }
        }
    }
}
