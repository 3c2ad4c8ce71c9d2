import Foundation

/// A zip file opened for positioned reads (`pread`), which any thread may make at the same time.
final class ZipFile: Sendable {
    private let descriptor: Int32

    /// Opens `path` for reading.
    init(path: String) throws {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ZipReadError.unreadable(String(cString: strerror(errno))) }
    }

    deinit { close(descriptor) }

    /// The file's length in bytes.
    func size() throws -> UInt64 {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw ZipReadError.unreadable(String(cString: strerror(errno))) }
        return UInt64(status.st_size)
    }

    /// Fills `buffer` from `offset`; throws `endsEarly` when the file ends first.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws {
        guard let base = buffer.baseAddress else { return }
        var done = 0
        while done < buffer.count {
            let count = pread(descriptor, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw ZipReadError.unreadable(String(cString: strerror(errno))) }
            guard count > 0 else { throw ZipReadError.endsEarly }
            done += count
        }
    }

    /// `count` bytes from `offset`.
    func bytes(at offset: UInt64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try read(into: $0, at: offset) }
        return bytes
    }
}

/// Why a zip entry's bytes cannot be read.
enum ZipReadError: Error, CustomStringConvertible {
    case unreadable(String)
    case endsEarly
    case noCentralDirectory
    case notALocalHeader
    case unsupportedMethod(UInt16)
    case corrupt(String)

    var description: String {
        switch self {
        case .unreadable(let reason): "the file cannot be read: \(reason)"
        case .endsEarly: "the data ends early"
        case .noCentralDirectory: "the central directory cannot be found"
        case .notALocalHeader: "the entry's local header is missing"
        case .unsupportedMethod(let method): "compression method \(method) is not deflate"
        case .corrupt(let reason): "the deflate stream is corrupt: \(reason)"
        }
    }
}

/// The central directory of a zip file, in its order: where each entry's packed bytes start and how many
/// there are.
///
/// ZIPFoundation lists the entries (in this same order) but does not tell where their data lies, which
/// `ZipEntryInflater` needs. ZIP64 sizes and offsets are read from the records' extra fields.
struct ZipDirectory: Sendable {
    /// What `ZipEntryInflater` needs of one entry.
    struct Record: Sendable, Equatable {
        /// 0 (stored) or 8 (deflate).
        var method: UInt16
        var packedSize: UInt64
        var localHeaderOffset: UInt64
    }

    /// The records, in central directory order; a record that cannot be read ends the list.
    let records: [Record]

    /// Reads the end-of-central-directory record (and its ZIP64 form), then the directory.
    init(_ file: ZipFile) throws {
        let (offset, size, count) = try Self.directoryExtent(file)
        guard size <= (try file.size()), size <= Int.max else { throw ZipReadError.noCentralDirectory }
        let directory = try file.bytes(at: offset, count: Int(size))
        var records: [Record] = []
        var position = 0
        while UInt64(records.count) < count, let (record, next) = Self.record(directory, at: position) {
            records.append(record)
            position = next
        }
        self.records = records
    }

    /// The offset of an entry's packed bytes: past its local header, whose name and extra field lengths may
    /// differ from the central directory's.
    static func dataOffset(of record: Record, in file: ZipFile) throws -> UInt64 {
        let header = try file.bytes(at: record.localHeaderOffset, count: 30)
        guard le32(header, 0) == 0x0403_4B50 else { throw ZipReadError.notALocalHeader }
        return record.localHeaderOffset + 30 + UInt64(le16(header, 26)) + UInt64(le16(header, 28))
    }

    /// Where the central directory is, its length and its number of records.
    private static func directoryExtent(_ file: ZipFile) throws -> (offset: UInt64, size: UInt64, count: UInt64) {
        let fileSize = try file.size()
        let tailLength = Int(min(fileSize, 22 + 65_535))
        let tailStart = fileSize - UInt64(tailLength)
        let tail = try file.bytes(at: tailStart, count: tailLength)
        guard tailLength >= 22,
            let end = stride(from: tailLength - 22, through: 0, by: -1).first(where: { le32(tail, $0) == 0x0605_4B50 })
        else { throw ZipReadError.noCentralDirectory }
        let count = UInt64(le16(tail, end + 10))
        let size = UInt64(le32(tail, end + 12))
        let offset = UInt64(le32(tail, end + 16))
        guard count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF else { return (offset, size, count) }
        // ZIP64: the locator sits just before the end record and points at the ZIP64 end record; without one,
        // the saturated values are real (65 535 entries).
        let endOffset = tailStart + UInt64(end)
        guard endOffset >= 20 else { return (offset, size, count) }
        let locator = try file.bytes(at: endOffset - 20, count: 20)
        guard le32(locator, 0) == 0x0706_4B50 else { return (offset, size, count) }
        let record64 = try file.bytes(at: le64(locator, 8), count: 56)
        guard le32(record64, 0) == 0x0606_4B50 else { throw ZipReadError.noCentralDirectory }
        return (le64(record64, 48), le64(record64, 40), le64(record64, 32))
    }

    /// The central directory record at `position`, and where the next one starts; nil when none is there.
    private static func record(_ directory: [UInt8], at position: Int) -> (Record, next: Int)? {
        guard position + 46 <= directory.count, le32(directory, position) == 0x0201_4B50 else { return nil }
        let nameLength = Int(le16(directory, position + 28))
        let extraLength = Int(le16(directory, position + 30))
        let commentLength = Int(le16(directory, position + 32))
        let extraStart = position + 46 + nameLength
        let next = extraStart + extraLength + commentLength
        guard next <= directory.count else { return nil }
        var record = Record(
            method: le16(directory, position + 10), packedSize: UInt64(le32(directory, position + 20)),
            localHeaderOffset: UInt64(le32(directory, position + 42)))
        let unpacked32 = le32(directory, position + 24)
        if unpacked32 == 0xFFFF_FFFF || record.packedSize == 0xFFFF_FFFF || record.localHeaderOffset == 0xFFFF_FFFF {
            applyZIP64(directory[extraStart..<(extraStart + extraLength)], unpacked32: unpacked32, to: &record)
        }
        return (record, next)
    }

    /// Takes the 64-bit values of the ZIP64 extra field (id 1): those whose 32-bit field is saturated, in the
    /// order unpacked size, packed size, local header offset.
    private static func applyZIP64(_ extra: ArraySlice<UInt8>, unpacked32: UInt32, to record: inout Record) {
        let bytes = Array(extra)
        var position = 0
        while position + 4 <= bytes.count {
            let id = le16(bytes, position)
            let length = Int(le16(bytes, position + 2))
            var field = position + 4
            position = field + length
            guard id == 1, position <= bytes.count else { continue }
            if unpacked32 == 0xFFFF_FFFF { field += 8 }
            if record.packedSize == 0xFFFF_FFFF, field + 8 <= position {
                record.packedSize = le64(bytes, field)
                field += 8
            }
            if record.localHeaderOffset == 0xFFFF_FFFF, field + 8 <= position {
                record.localHeaderOffset = le64(bytes, field)
            }
            return
        }
    }

    private static func le16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(le16(bytes, at)) | UInt32(le16(bytes, at + 2)) << 16
    }

    private static func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        UInt64(le32(bytes, at)) | UInt64(le32(bytes, at + 4)) << 32
    }
}
