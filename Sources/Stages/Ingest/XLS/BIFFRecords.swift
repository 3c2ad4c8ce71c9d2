import Foundation

/// One BIFF record of a workbook stream, with the CONTINUE records that follow it.
struct BIFFRecord {
    /// The record type (`0x0006` FORMULA, `0x0207` STRING, …).
    let type: UInt16
    /// Where the record starts in the stream, for messages.
    let offset: Int
    /// The record's data, indexed as in the stream (use `data.startIndex + k`).
    let data: ArraySlice<UInt8>
    /// The data of the CONTINUE (`0x003C`) records right after this one, in order.
    let continuations: [ArraySlice<UInt8>]

    /// Throws unless the record holds at least `count` bytes; every fixed-offset read is preceded by this check.
    func require(_ count: Int, _ what: String) throws(CompoundFile.Failure) {
        guard data.count >= count else {
            throw CompoundFile.Failure(
                "\(what) record at offset \(offset) has \(data.count) bytes, fewer than the \(count) it needs")
        }
    }

    func u16(_ k: Int) -> UInt16 { CompoundFile.u16(data, data.startIndex + k) }
    func u32(_ k: Int) -> UInt32 { CompoundFile.u32(data, data.startIndex + k) }
    func byte(_ k: Int) -> UInt8 { data[data.startIndex + k] }

    /// The IEEE double at `k` (little-endian).
    func double(_ k: Int) -> Double {
        Double(bitPattern: UInt64(u32(k)) | UInt64(u32(k + 4)) << 32)
    }
}

/// Reads the records of a BIFF stream in order, each bounds-checked against the stream.
struct BIFFRecords {
    private let stream: [UInt8]
    /// Where the next record starts.
    private(set) var position: Int

    /// Records from `offset` on (a sheet's BOF, as BOUNDSHEET gives it).
    init(_ stream: [UInt8], from offset: Int = 0) {
        self.stream = stream
        position = offset
    }

    /// The next record, or nil at the end of the stream.
    mutating func next() throws(CompoundFile.Failure) -> BIFFRecord? {
        guard position < stream.count else { return nil }
        let (type, data) = try header(at: position)
        let record = position
        position = data.endIndex
        var continuations: [ArraySlice<UInt8>] = []
        while position + 4 <= stream.count, CompoundFile.u16(stream, position) == 0x003C {
            let (_, more) = try header(at: position)
            continuations.append(more)
            position = more.endIndex
        }
        return BIFFRecord(type: type, offset: record, data: data, continuations: continuations)
    }

    private func header(at offset: Int) throws(CompoundFile.Failure) -> (UInt16, ArraySlice<UInt8>) {
        guard offset >= 0, offset + 4 <= stream.count else {
            throw CompoundFile.Failure("record header at offset \(offset) lies beyond the stream's end")
        }
        let length = Int(CompoundFile.u16(stream, offset + 2))
        guard offset + 4 + length <= stream.count else {
            throw CompoundFile.Failure("record at offset \(offset) claims \(length) bytes past the stream's end")
        }
        return (CompoundFile.u16(stream, offset), stream[offset + 4..<offset + 4 + length])
    }
}

/// Decodes the strings of BIFF records.
enum BIFFText {
    /// An `XLUnicodeString` (BIFF8: 16-bit count, flags, characters that may run on in CONTINUE records, each
    /// starting with its own flags byte) or a BIFF5 byte string (16-bit or 8-bit count, code-page bytes).
    static func string(
        _ record: BIFFRecord, at start: Int, isBIFF8: Bool, countBytes: Int = 2
    ) throws(CompoundFile.Failure) -> String {
        try record.require(start + countBytes + (isBIFF8 ? 1 : 0), "string")
        let count = countBytes == 2 ? Int(record.u16(start)) : Int(record.byte(start))
        guard isBIFF8 else {
            let bytes = record.data.dropFirst(start + countBytes).prefix(count)
            guard bytes.count == count else { throw cutShort(record) }
            // BIFF5 text is in the workbook's code page; Windows-1252 is what Western Excel writes.
            return String(bytes: bytes, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
        }
        var units: [UInt16] = []
        units.reserveCapacity(count)
        var pieces = [record.data.dropFirst(start + countBytes)] + record.continuations
        var piece = 0
        while units.count < count {
            guard piece < pieces.count, let flags = pieces[piece].first else { throw cutShort(record) }
            var chunk = pieces[piece].dropFirst()
            let isWide = flags & 0x01 != 0
            while units.count < count, chunk.count >= (isWide ? 2 : 1) {
                if isWide {
                    units.append(CompoundFile.u16(chunk, chunk.startIndex))
                    chunk = chunk.dropFirst(2)
                } else {
                    units.append(UInt16(chunk[chunk.startIndex]))  // compressed: the low byte of UTF-16
                    chunk = chunk.dropFirst()
                }
            }
            pieces[piece] = chunk
            piece += 1
        }
        return String(decoding: units, as: UTF16.self)
    }

    private static func cutShort(_ record: BIFFRecord) -> CompoundFile.Failure {
        let type = String(record.type, radix: 16)
        return CompoundFile.Failure("string in record 0x\(type) at offset \(record.offset) is cut short")
    }
}
