import Foundation
import ZIPFoundation

/// The zip container of an `.xlsx` file: finds parts and inflates them in chunks under `WorkbookLimits`.
final class XLSXPackage {
    let path: String
    let limits: WorkbookLimits
    private let archive: Archive
    /// Entries by normalised path (lowercased, `/` separators, no leading `/`): writers differ in case and slashes.
    private let entries: [String: Entry]

    /// Opens the archive; a file that is not a readable zip is a `damagedArchive`.
    init(path: String, limits: WorkbookLimits) throws {
        self.path = path
        self.limits = limits
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw WorkbookError(.damagedArchive, path: path, message: "the zip directory cannot be read")
        }
        var byPath: [String: Entry] = [:]
        for entry in archive where byPath[Self.normalise(entry.path)] == nil {
            byPath[Self.normalise(entry.path)] = entry
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

    /// Most bytes of one inflated chunk.
    static let chunkSize = 256 * 1024
    /// How many batches the inflating thread may run ahead of the reader.
    static let chunksAhead = 4

    /// Inflates a part and cuts it into XML tokens on a thread of its own, while `consume` takes the batches in
    /// order on the calling thread; false when the part is absent.
    ///
    /// The size and ratio caps are checked as chunks are inflated; at most `chunksAhead` batches wait for
    /// `consume`, so memory does not grow with the part. A batch whose `pendingCount` passes `pendingLimit`
    /// is the last one: `consume` must throw on it (`checkPending`). Errors thrown by `consume` reach the caller
    /// unchanged and stop the inflating thread, which is always finished when `streamTokens` returns; zip and
    /// inflate failures become `damagedArchive`; scanner errors (`XMLScanError`) come after the tokens before them.
    /// Not re-entrant: `consume` must not read from this package.
    @discardableResult
    func streamTokens(_ partPath: String, _ consume: (XMLTokenBatch) throws -> Void) throws -> Bool {
        guard let entry = entries[Self.normalise(partPath)] else { return false }
        let inflation = Inflation(package: self, entry: entry, partPath: partPath)
        try BoundedPipe<XMLTokenBatch>.run(capacity: Self.chunksAhead, produce: inflation.run) { pipe in
            while let batch = try pipe.pop() {
                try consume(batch)
                pipe.recycle(batch)
            }
        }
        return true
    }

    /// Bytes held back for one unfinished token past which reading stops (`checkPending` in the readers).
    var pendingLimit: Int { limits.maxCellBytes + 65_536 }

    /// The whole (small) part as bytes, or nil when absent: workbook, relationships, styles.
    ///
    /// Inflated on the calling thread: a thread of its own would cost more than these parts take to inflate.
    func read(_ partPath: String) throws -> [UInt8]? {
        guard let entry = entries[Self.normalise(partPath)] else { return nil }
        var bytes: [UInt8] = []
        try inflate(entry, partPath) { chunk in bytes.append(contentsOf: chunk) }
        return bytes
    }

    /// Inflates `entry` on the current thread, checking the caps before `take` gets each chunk.
    ///
    /// Errors thrown by `take` reach the caller unchanged; zip and inflate failures become `damagedArchive`.
    private func inflate(_ entry: Entry, _ partPath: String, _ take: (Data) throws -> Void) throws {
        var inflated: Int64 = 0
        let compressed = max(Int64(clamping: entry.compressedSize), 1)
        do {
            // skipCRC32: the CRC is computed in Swift at a fraction of inflate speed; damage still shows as
            // an inflate error or malformed XML.
            _ = try archive.extract(entry, bufferSize: Self.chunkSize, skipCRC32: true) { chunk in
                inflated += Int64(chunk.count)
                try checkBomb(partPath, inflated: inflated, compressed: compressed)
                do { try take(chunk) } catch { throw PassThrough(error: error) }
            }
        } catch let error as PassThrough {
            throw error.error
        } catch let error as WorkbookError {
            throw error
        } catch {
            throw WorkbookError(.damagedArchive, path: path, message: "part \(partPath) cannot be inflated: \(error)")
        }
    }

    /// The work of the inflating thread of `streamTokens`: chunks cut into token batches pushed to the pipe.
    // @unchecked Sendable: the package (and its archive) is used by the inflating thread only while
    // `streamTokens` waits in `BoundedPipe.run`, which returns once that thread has finished.
    private struct Inflation: @unchecked Sendable {
        let package: XLSXPackage
        let entry: Entry
        let partPath: String

        func run(_ pipe: BoundedPipe<XMLTokenBatch>) throws {
            var tokenizer = XMLTokenizer()
            try package.inflate(entry, partPath) { chunk in
                var batch = pipe.spare() ?? XMLTokenBatch()
                do {
                    try chunk.withUnsafeBytes { try tokenizer.cut($0, into: &batch) }
                } catch {
                    _ = pipe.push(batch)  // the tokens before the error are read first
                    throw error
                }
                guard pipe.push(batch) else { throw CancellationError() }
                // The reader throws on this batch (checkPending): stop instead of holding back more.
                if batch.pendingCount > package.pendingLimit { throw CancellationError() }
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
    }

    private func checkBomb(_ partPath: String, inflated: Int64, compressed: Int64) throws {
        if inflated > limits.maxInflatedBytes {
            throw WorkbookError(
                .zipBomb, path: path, message: "part \(partPath) exceeds \(limits.maxInflatedBytes) inflated bytes")
        }
        let ratio = Double(inflated) / Double(compressed)
        if inflated > limits.ratioCheckThreshold, ratio > limits.maxCompressionRatio {
            throw WorkbookError(
                .zipBomb, path: path,
                message: "part \(partPath) inflates more than \(Int(limits.maxCompressionRatio)) times its packed size")
        }
    }

    /// Wraps an error thrown by a consumer so that it is not mistaken for a zip failure.
    private struct PassThrough: Error { let error: any Error }
}
