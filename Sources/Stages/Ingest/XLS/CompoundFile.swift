import Foundation

/// A minimal, bounds-checked reader of OLE2 compound files (MS-CFB): enough to pull one stream out.
///
/// Hand-written: libfreexl reads the container but exposes neither its streams nor the BIFF records it skips
/// (FORMULA, STRING), and no other Debian library reads them; `XLSCellOverlay` needs the raw `Workbook` stream.
/// Untrusted input: every offset is checked against the file, every sector chain is bounded by the number of
/// sectors (so a loop ends), and nothing is allocated beyond the file's own size.
struct CompoundFile {
    /// Why a compound file cannot be read; `XLSReader` wraps it into a `WorkbookError`.
    struct Failure: Error, Equatable, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private static let endOfChain: UInt32 = 0xFFFF_FFFE
    private static let freeSector: UInt32 = 0xFFFF_FFFF
    private static let maxRegularSector: UInt32 = 0xFFFF_FFFA

    private let bytes: [UInt8]
    private let sectorShift: Int
    private let miniSectorShift: Int
    private let miniStreamCutoff: UInt32
    private let isVersion3: Bool
    private let fat: [UInt32]
    /// Whole sectors in the file: no chain without a loop can be longer.
    private let sectorCount: Int
    private let directory: [UInt8]

    /// Parses the header, the allocation table (through the DIFAT) and the directory.
    init(bytes: [UInt8]) throws(Failure) {
        self.bytes = bytes
        guard bytes.count >= 512, bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) else {
            throw Failure("shorter than a compound-file header, or without its signature")
        }
        let shift = Int(Self.u16(bytes, 0x1E))
        let miniShift = Int(Self.u16(bytes, 0x20))
        guard shift == 9 || shift == 12, miniShift == 6 else {
            throw Failure("invalid sector size 2^\(shift) (mini 2^\(miniShift))")
        }
        sectorShift = shift
        miniSectorShift = miniShift
        miniStreamCutoff = Self.u32(bytes, 0x38)
        isVersion3 = Self.u16(bytes, 0x1A) == 3
        let sectorCount = max(0, bytes.count - (1 << shift)) >> shift
        self.sectorCount = sectorCount
        fat = try Self.readFAT(bytes, shift: shift, sectorCount: sectorCount)
        let firstDirectorySector = Self.u32(bytes, 0x30)
        directory = try Self.chain(from: firstDirectorySector, table: fat, limit: sectorCount) {
            sector throws(Failure) in try Self.sector(bytes, sector, shift: shift)
        }
    }

    /// The bytes of the first stream, among the root storage's children, whose name matches one of `names`
    /// (case-insensitively), tried in order; nil when there is none.
    func stream(named names: [String]) throws(Failure) -> [UInt8]? {
        let children = try rootChildren()
        for wanted in names {
            guard let entry = children.first(where: { $0.name.caseInsensitiveCompare(wanted) == .orderedSame })
            else { continue }
            return try contents(of: entry)
        }
        return nil
    }

    // MARK: - Directory

    private struct Entry {
        let name: String
        let type: UInt8
        let left: UInt32, right: UInt32, child: UInt32
        let start: UInt32
        let size: Int
    }

    private var entryCount: Int { directory.count / 128 }

    private func entry(_ index: UInt32) throws(Failure) -> Entry {
        guard Int(index) < entryCount else { throw Failure("directory entry \(index) lies outside the directory") }
        let base = Int(index) * 128
        let nameBytes = min(Int(Self.u16(directory, base + 0x40)), 64)
        var units: [UInt16] = []
        for k in stride(from: 0, to: max(nameBytes - 2, 0), by: 2) { units.append(Self.u16(directory, base + k)) }
        let low = Self.u32(directory, base + 0x78)
        let high = isVersion3 ? 0 : Self.u32(directory, base + 0x7C)  // v3 leaves the high half undefined
        let size = (UInt64(high) << 32) | UInt64(low)
        guard size <= UInt64(bytes.count) else {
            throw Failure("a stream claims \(size) bytes in a file of \(bytes.count)")
        }
        return Entry(
            name: String(decoding: units, as: UTF16.self), type: directory[base + 0x42],
            left: Self.u32(directory, base + 0x44), right: Self.u32(directory, base + 0x48),
            child: Self.u32(directory, base + 0x4C), start: Self.u32(directory, base + 0x74), size: Int(size))
    }

    /// The entries directly under the root storage: the red-black tree of its children, walked iteratively.
    private func rootChildren() throws(Failure) -> [Entry] {
        var found: [Entry] = []
        var pending = [try entry(0).child]
        var visited = Set<UInt32>()
        while let index = pending.popLast() {
            guard index <= Self.maxRegularSector else { continue }
            guard visited.insert(index).inserted, visited.count <= entryCount else {
                throw Failure("the directory tree loops")
            }
            let child = try entry(index)
            found.append(child)
            pending += [child.left, child.right]
        }
        return found
    }

    private func contents(of entry: Entry) throws(Failure) -> [UInt8] {
        guard entry.type == 2 else { throw Failure("'\(entry.name)' is a storage, not a stream") }
        let data: [UInt8]
        if UInt32(clamping: entry.size) < miniStreamCutoff {
            data = try miniStreamContents(start: entry.start, size: entry.size)
        } else {
            data = try Self.chain(from: entry.start, table: fat, limit: sectorCount) { sector throws(Failure) in
                try Self.sector(bytes, sector, shift: sectorShift)
            }
        }
        guard data.count >= entry.size else {
            throw Failure("stream '\(entry.name)' is cut short: \(data.count) of \(entry.size) bytes")
        }
        return Array(data.prefix(entry.size))
    }

    /// A small stream, stored in 64-byte sectors inside the root entry's stream and chained by the mini FAT.
    private func miniStreamContents(start: UInt32, size: Int) throws(Failure) -> [UInt8] {
        let root = try entry(0)
        let container = try Self.chain(from: root.start, table: fat, limit: sectorCount) { sector throws(Failure) in
            try Self.sector(bytes, sector, shift: sectorShift)
        }
        let miniFATBytes = try Self.chain(from: Self.u32(bytes, 0x3C), table: fat, limit: sectorCount) {
            sector throws(Failure) in try Self.sector(bytes, sector, shift: sectorShift)
        }
        let miniFAT = (0..<miniFATBytes.count / 4).map { Self.u32(miniFATBytes, $0 * 4) }
        let miniSize = 1 << miniSectorShift
        let limit = min(miniFAT.count, container.count / miniSize)
        return try Self.chain(from: start, table: miniFAT, limit: limit) { sector throws(Failure) in
            let offset = Int(sector) << miniSectorShift
            guard offset + miniSize <= container.count else {
                throw Failure("mini sector \(sector) lies outside the mini stream")
            }
            return container[offset..<offset + miniSize]
        }
    }

    // MARK: - Allocation table

    /// The FAT, gathered from the sectors the DIFAT lists (109 in the header, then the DIFAT chain).
    private static func readFAT(_ bytes: [UInt8], shift: Int, sectorCount: Int) throws(Failure) -> [UInt32] {
        let declared = Int(u32(bytes, 0x2C))
        guard declared <= sectorCount else {
            throw Failure("the header declares \(declared) FAT sectors in a file of \(sectorCount) sectors")
        }
        var fatSectors = (0..<109).map { u32(bytes, 0x4C + $0 * 4) }
        var next = u32(bytes, 0x44)
        var hops = 0
        let perSector = (1 << shift) / 4
        while next <= maxRegularSector, fatSectors.count < declared {
            hops += 1
            guard hops <= sectorCount else { throw Failure("the DIFAT chain loops") }
            let sector = try self.sector(bytes, next, shift: shift)
            fatSectors += (0..<perSector - 1).map { u32(sector, sector.startIndex + $0 * 4) }
            next = u32(sector, sector.startIndex + (perSector - 1) * 4)
        }
        var fat: [UInt32] = []
        for index in fatSectors.prefix(declared) {
            let sector = try self.sector(bytes, index, shift: shift)
            fat += (0..<perSector).map { u32(sector, sector.startIndex + $0 * 4) }
        }
        return fat
    }

    /// The concatenated sectors of the chain from `start`; at most `limit` hops, so a looping chain fails.
    private static func chain(
        from start: UInt32, table: [UInt32], limit: Int, read: (UInt32) throws(Failure) -> ArraySlice<UInt8>
    ) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var current = start
        var hops = 0
        while current != endOfChain {
            guard current <= maxRegularSector, Int(current) < table.count else {
                if current == freeSector, hops == 0 { return [] }  // an empty stream has no sector
                throw Failure("sector chain reaches invalid entry 0x\(String(current, radix: 16))")
            }
            hops += 1
            guard hops <= limit else { throw Failure("a sector chain loops") }
            out += try read(current)
            current = table[Int(current)]
        }
        return out
    }

    private static func sector(_ bytes: [UInt8], _ index: UInt32, shift: Int) throws(Failure) -> ArraySlice<UInt8> {
        let offset = (Int(index) + 1) << shift
        let end = offset + (1 << shift)
        guard index <= maxRegularSector, end <= bytes.count else {
            throw Failure("sector \(index) lies beyond the end of the file (truncated?)")
        }
        return bytes[offset..<end]
    }

    // MARK: - Little-endian fields (callers check the bounds of the structure first)

    static func u16<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ offset: Int) -> UInt16
    where Bytes.Index == Int {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func u32<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ offset: Int) -> UInt32
    where Bytes.Index == Int {
        UInt32(u16(bytes, offset)) | UInt32(u16(bytes, offset + 2)) << 16
    }
}
