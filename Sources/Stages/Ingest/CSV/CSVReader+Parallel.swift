import Dispatch
import Synchronization

/// Which segment of a file's body a worker scans, for sizing what it fills.
struct CSVSegmentSize: Sendable {
    /// 0 for the first segment, which starts where the scan was asked to.
    var index: Int
    /// The segment's length in bytes (about: the last record may run past it).
    var length: Int
    /// The length of the whole range scanned, all segments together.
    var bodyLength: Int
}

extension CSVReader {
    /// The shortest segment worth a thread of its own: smaller files are scanned on the calling thread.
    static let minimumSegmentLength = 4 << 20

    /// Scans the records from `position` to the end of the file on up to `workers` threads, each filling a part
    /// of its own, and hands the parts to `merge` in file order.
    ///
    /// The result does not depend on the number of threads: the records, their lines, what `record` is given and
    /// the error thrown, if any, are those of one `scanRecords` from `position` (see `segmentStarts` for how the
    /// file is cut). A segment whose scan does not end exactly where the next one began, which only a stray quote
    /// can cause, is followed by a scan of the next segments again, in order, from where it really ended.
    ///
    /// - Parameters:
    ///   - makePart: a new, empty part for the worker of a segment.
    ///   - record: adds one record to a part; called on the workers' threads.
    ///   - merge: takes each part, on the calling thread; when a segment ends in an error, its part is merged
    ///     (holding the records before the error), then the error is thrown.
    func scanRecordsInParallel<Part: Sendable>(
        from position: CSVPosition, workers: Int, minimumSegmentLength: Int = CSVReader.minimumSegmentLength,
        makePart: @Sendable (_ segment: CSVSegmentSize) -> Part,
        record: @Sendable (_ part: inout Part, _ line: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ slices: UnsafeBufferPointer<CSVFieldSlice>)
            -> Void,
        merge: (Part) throws -> Void
    ) throws {
        let fileSize = try CSVByteSource(path: path, chunkSize: 64).fileSize()
        let count = max(1, min(workers, (fileSize - position.offset) / max(1, minimumSegmentLength)))
        let starts = count == 1 ? [position] : try segmentStarts(from: position, count: count, fileSize: fileSize)
        let scanned = Mutex([Segment<Part>?](repeating: nil, count: starts.count))
        let size = { @Sendable (index: Int) in
            let end = index + 1 < starts.count ? starts[index + 1].offset : fileSize
            return CSVSegmentSize(index: index, length: end - starts[index].offset, bodyLength: fileSize - position.offset)
        }
        DispatchQueue.concurrentPerform(iterations: starts.count) { index in
            let limit = index + 1 < starts.count ? starts[index + 1].offset : .max
            let segment = scanSegment(from: starts[index], before: limit, into: makePart(size(index)), record: record)
            scanned.withLock { $0[index] = segment }
        }
        var segments = scanned.withLock { segments in
            defer { segments = [] }
            return segments
        }
        var next = position
        for index in segments.indices {
            // Taken out of the array, so that each part is freed as soon as it is merged.
            guard var segment = segments[index] else { continue }  // concurrentPerform filled every index
            segments[index] = nil
            if segment.start != next {
                let limit = index + 1 < starts.count ? starts[index + 1].offset : .max
                segment = scanSegment(from: next, before: limit, into: makePart(size(index)), record: record)
            }
            try merge(segment.part)
            if let error = segment.error { throw error }
            next = segment.end
        }
    }

    /// What one worker scanned: from where, the records it added to its part, and where it stopped or failed.
    private struct Segment<Part: Sendable>: Sendable {
        var start: CSVPosition
        var part: Part
        var end: CSVPosition
        var error: (any Error)?
    }

    private func scanSegment<Part: Sendable>(
        from start: CSVPosition, before limit: Int, into part: Part,
        record: (_ part: inout Part, _ line: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ slices: UnsafeBufferPointer<CSVFieldSlice>)
            -> Void
    ) -> Segment<Part> {
        var part = part
        do {
            let end = try scanRecords(from: start, before: limit) { line, bytes, slices in
                record(&part, line, bytes, slices)
            }
            return Segment(start: start, part: part, end: end.position, error: nil)
        } catch {
            return Segment(start: start, part: part, end: start, error: error)
        }
    }

    /// Where `count` segments of about equal length from `position` to the end of the file start, each on a record.
    ///
    /// The bytes before each nominal cut are counted (line ends and quotes, on all threads); a segment then starts
    /// after the first line end past its cut at which the number of quotes since `position` is even, which in a
    /// file without stray quotes is outside any quoted field. Its line is `position.line` plus the line ends before
    /// it, which holds whatever the quoting (see `CSVByteCounts`).
    func segmentStarts(from position: CSVPosition, count: Int, fileSize: Int) throws -> [CSVPosition] {
        let pieceCount = (count - 1) * count
        let cut = Self.cut(from: position.offset, to: fileSize, pieces: count * count)
        let counted = Mutex([Result<CSVByteCounts, any Error>](repeating: .success(CSVByteCounts()), count: pieceCount))
        DispatchQueue.concurrentPerform(iterations: pieceCount) { piece in
            let result = Result { try countBytes(in: cut(piece)..<cut(piece + 1)) }
            counted.withLock { $0[piece] = result }
        }
        let pieces = try counted.withLock { $0 }.map { try $0.get() }
        var starts = [position]
        var before = CSVByteCounts()
        for segment in 1..<count {
            before = pieces[((segment - 1) * count)..<(segment * count)].reduce(before, +)
            let nominal = CSVPosition(offset: cut(segment * count), line: position.line + before.lineEnds)
            starts.append(try firstRecordStart(after: nominal, isQuoted: before.quotes % 2 == 1, fileSize: fileSize))
        }
        return starts
    }

    /// Cuts `start..<end` into `pieces` about equal pieces: where the piece of each index starts.
    private static func cut(from start: Int, to end: Int, pieces: Int) -> @Sendable (Int) -> Int {
        { piece in start + (end - start) * piece / pieces }
    }

    private func countBytes(in range: Range<Int>) throws -> CSVByteCounts {
        var counts = CSVByteCounts()
        try CSVByteSource.forEachChunk(path: path, range: range, chunkSize: chunkSize) { bytes, next in
            counts = counts + CSVByteCounts.count(bytes, next: next)
            return true
        }
        return counts
    }

    /// The position after the first line end at or after `nominal` that is outside quotes (by their count), or the
    /// end of the file.
    private func firstRecordStart(after nominal: CSVPosition, isQuoted: Bool, fileSize: Int) throws -> CSVPosition {
        var isQuoted = isQuoted
        var position = nominal
        var found: CSVPosition?
        try CSVByteSource.forEachChunk(path: path, range: nominal.offset..<fileSize, chunkSize: 64 << 10) { bytes, next in
            for i in 0..<bytes.count {
                let byte = bytes[i]
                if byte == UInt8(ascii: "\"") { isQuoted.toggle() }
                guard byte == 0x0A || (byte == 0x0D && (i + 1 < bytes.count ? bytes[i + 1] : next) != 0x0A) else {
                    continue
                }
                position.line += 1
                if !isQuoted {
                    found = CSVPosition(offset: position.offset + i + 1, line: position.line)
                    return false
                }
            }
            position.offset += bytes.count
            return true
        }
        return found ?? CSVPosition(offset: fileSize, line: position.line)
    }
}
