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

    /// Inflates a part chunk by chunk, enforcing the size and ratio caps; false when the part is absent.
    ///
    /// Errors thrown by `consume` reach the caller unchanged; zip and inflate failures become `damagedArchive`.
    @discardableResult
    func stream(_ partPath: String, _ consume: (Data) throws -> Void) throws -> Bool {
        guard let entry = entries[Self.normalise(partPath)] else { return false }
        var inflated: Int64 = 0
        let compressed = max(Int64(clamping: entry.compressedSize), 1)
        do {
            // skipCRC32: the CRC is computed in Swift at a fraction of inflate speed; damage still shows as
            // an inflate error or malformed XML.
            _ = try archive.extract(entry, bufferSize: 256 * 1024, skipCRC32: true) { chunk in
                inflated += Int64(chunk.count)
                try checkBomb(partPath, inflated: inflated, compressed: compressed)
                do { try consume(chunk) } catch { throw PassThrough(error: error) }
            }
        } catch let error as PassThrough {
            throw error.error
        } catch let error as WorkbookError {
            throw error
        } catch {
            throw WorkbookError(.damagedArchive, path: path, message: "part \(partPath) cannot be inflated: \(error)")
        }
        return true
    }

    /// The whole (small) part as bytes, or nil when absent: workbook, relationships, styles.
    func read(_ partPath: String) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        let found = try stream(partPath) { bytes.append(contentsOf: $0) }
        return found ? bytes : nil
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
