import Dispatch
import Synchronization

/// Which segment of a file's body a worker scans, for sizing what it fills.
struct CSVSegmentSize: Sendable {
    /// 0 for the first segment, which starts where the scan was asked to and grows as its thread takes the
    /// segments that follow it.
    var index: Int
    /// The segment's length in bytes (about: the last record may run past it).
    var length: Int
    /// The length of the whole range scanned, all segments together.
    var bodyLength: Int
}

/// Adds one record to a part: its 1-based line, the bytes it was read from and its fields' slices of them.
/// Called on the workers' threads.
typealias CSVRecordSink<Part> =
    @Sendable (
        _ part: inout Part, _ line: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ slices: UnsafeBufferPointer<CSVFieldSlice>
    ) -> Void

extension CSVReader {
    /// How long the segments handed to threads are: small enough to keep both cores busy to the end, large enough
    /// for a thread to go through one in tens of milliseconds.
    static let segmentLength = 2 << 20

    /// Scans the records from `position` to the end of the file on up to `workers` threads, each segment filling
    /// a part of its own, and hands the parts to `merge` in file order.
    ///
    /// The body is cut into segments of about `segmentLength` bytes, each starting after the first line end past
    /// its nominal cut. The first thread scans from `position` on and takes the segments that follow, one by one;
    /// the other threads take segments from the end of the file backwards, until they meet. The first thread's
    /// part thus covers the front of the file in one piece, and the threads finish together whatever their speed.
    ///
    /// The result does not depend on the number of threads: the records, their lines, what `record` is given and
    /// the error thrown, if any, are those of one `scanRecords` from `position`. A segment scanned by another
    /// thread numbers its lines from 0; `merge` is told what to add (the lines before it, known once the
    /// segments before it are merged). A segment that did not start where the one before it ended (its cut fell
    /// inside a quoted line break) is scanned again, on the calling thread, from where it should have started.
    ///
    /// - Parameters:
    ///   - frontTakesMore: whether the first thread takes the segments after its own; tests set it to false, so
    ///     that every other segment is scanned apart and merged with its line offset (what a thread does with the
    ///     segments a busy first thread leaves it), whatever the timing of the threads.
    ///   - shouldStop: asked before each segment is taken; once it says yes, no more are, and the scan throws
    ///     `CancellationError` instead of merging.
    ///   - makePart: a new, empty part for a segment.
    ///   - record: adds one record to a part; called on the workers' threads.
    ///   - finish: called on a worker's thread with each part it has scanned (not with the parts of segments
    ///     scanned again).
    ///   - merge: takes each part and the number to add to its lines, on the calling thread; when a segment ends
    ///     in an error, its part is merged (holding the records before the error), then the error is thrown.
    func scanRecordsInParallel<Part: Sendable>(
        from position: CSVPosition, workers: Int, segmentLength: Int = CSVReader.segmentLength,
        frontTakesMore: Bool = true, shouldStop: @Sendable () -> Bool = { false },
        makePart: @Sendable (_ segment: CSVSegmentSize) -> Part,
        record: CSVRecordSink<Part>,
        finish: @Sendable (_ part: inout Part) -> Void = { _ in },
        merge: (_ part: Part, _ lineOffset: Int) throws -> Void
    ) throws {
        let fileSize = try CSVByteSource(path: path, chunkSize: 64).fileSize()
        let bodyLength = max(0, fileSize - position.offset)
        let count = workers > 1 ? max(1, bodyLength / max(1, segmentLength)) : 1
        let plan = SegmentPlan(
            start: position, cuts: try segmentStarts(from: position.offset, count: count, fileSize: fileSize),
            fileSize: fileSize, segmentLength: segmentLength)
        var segments = scanConcurrently(
            plan, workers: workers, frontTakesMore: frontTakesMore, shouldStop: shouldStop, makePart: makePart,
            record: record, finish: finish)
        if shouldStop() { throw CancellationError() }
        var next = position
        for index in segments.indices {
            // Taken out of the array, so that each part is freed as soon as it is merged.
            guard var segment = segments[index] else { continue }  // within the front thread's part
            segments[index] = nil
            var offset = next.line - segment.start.line
            if segment.start.offset != next.offset || segment.isAbandoned {
                let part = makePart(plan.size(index))
                segment = scanSegment(from: next, before: plan.limit(index), into: part, record: record)
                offset = 0
            }
            try merge(segment.part, offset)
            if let error = segment.error { throw Self.shifted(error, byLines: offset) }
            next = CSVPosition(offset: segment.end.offset, line: segment.end.line + offset)
        }
    }

    /// Where the segments start, and what follows from it.
    private struct SegmentPlan: Sendable {
        var start: CSVPosition
        /// The offset of each segment's first byte; the first is `start`'s.
        var cuts: [Int]
        var fileSize: Int
        var segmentLength: Int

        var count: Int { cuts.count }

        /// Where the records of a segment must start before (where the next one begins).
        func limit(_ index: Int) -> Int { index + 1 < cuts.count ? cuts[index + 1] : .max }

        func size(_ index: Int) -> CSVSegmentSize {
            let end = index + 1 < cuts.count ? cuts[index + 1] : fileSize
            return CSVSegmentSize(index: index, length: end - cuts[index], bodyLength: fileSize - start.offset)
        }
    }

    /// The parallel part of `scanRecordsInParallel`: the first thread from the front, the others from the back;
    /// the segments each scanned, by index (nil for those the first thread went through).
    private func scanConcurrently<Part: Sendable>(
        _ plan: SegmentPlan, workers: Int, frontTakesMore: Bool, shouldStop: @Sendable () -> Bool,
        makePart: @Sendable (_ segment: CSVSegmentSize) -> Part,
        record: CSVRecordSink<Part>,
        finish: @Sendable (_ part: inout Part) -> Void
    ) -> [Segment<Part>?] {
        let claims = Mutex((front: 1, back: plan.count - 1))  // the next segment each side would take
        let scanned = Mutex([Segment<Part>?](repeating: nil, count: plan.count))
        DispatchQueue.concurrentPerform(iterations: min(workers, plan.count)) { worker in
            guard worker > 0 else {
                var segment = scanSegment(
                    from: plan.start, before: plan.limit(0), into: makePart(plan.size(0)), record: record
                ) {
                    claims.withLock { claims -> Int? in
                        guard frontTakesMore, claims.front <= claims.back, !shouldStop() else { return nil }
                        claims.front += 1
                        return plan.limit(claims.front - 1)
                    }
                }
                finish(&segment.part)
                scanned.withLock { $0[0] = segment }
                return
            }
            while let index = claims.withLock({ claims -> Int? in
                guard claims.back >= claims.front, !shouldStop() else { return nil }
                claims.back -= 1
                return claims.back + 1
            }) {
                let start = CSVPosition(offset: plan.cuts[index], line: 0)
                var segment = scanSegment(
                    from: start, before: plan.limit(index), overrun: 4 * plan.segmentLength,
                    into: makePart(plan.size(index)), record: record)
                finish(&segment.part)
                scanned.withLock { $0[index] = segment }
            }
        }
        return scanned.withLock { $0 }
    }

    /// What one worker scanned: from where, the records it added to its part, and where it stopped or failed.
    private struct Segment<Part: Sendable>: Sendable {
        var start: CSVPosition
        var part: Part
        var end: CSVPosition
        var isAbandoned = false
        var error: (any Error)?
    }

    private func scanSegment<Part: Sendable>(
        from start: CSVPosition, before limit: Int, overrun: Int = .max, into part: Part,
        record: CSVRecordSink<Part>,
        extend: () -> Int? = { nil }
    ) -> Segment<Part> {
        var part = part
        do {
            let end = try scanRecords(from: start, before: limit, overrun: overrun, extend: extend) {
                line, bytes, slices in
                record(&part, line, bytes, slices)
            }
            return Segment(start: start, part: part, end: end.position, isAbandoned: end.isAbandoned)
        } catch {
            return Segment(start: start, part: part, end: start, error: error)
        }
    }

    /// An error of a segment whose lines were numbered from 0, with its line made the file's.
    private static func shifted(_ error: any Error, byLines offset: Int) -> any Error {
        guard var error = error as? CSVError, let line = error.line else { return error }
        error.line = line + offset
        return error
    }

    /// Where each of `count` segments of about equal length from `start` to the end of the file begins: after the
    /// first line end at or past its nominal cut (the first one begins at `start`).
    ///
    /// A cut may fall inside a quoted field holding line breaks; `scanRecordsInParallel` then finds that the
    /// segment before did not end there, and scans the segment again.
    func segmentStarts(from start: Int, count: Int, fileSize: Int) throws -> [Int] {
        var starts = [start]
        for index in 1..<max(1, count) {
            let nominal = max(start + (fileSize - start) * index / count, starts[index - 1])
            starts.append(try firstRecordStart(atOrAfter: nominal, fileSize: fileSize))
        }
        return starts
    }

    /// The offset after the first line end (LF, CR LF or a lone CR) at or after `offset`, or the file's size.
    private func firstRecordStart(atOrAfter offset: Int, fileSize: Int) throws -> Int {
        var found = fileSize
        var position = offset
        try CSVByteSource.forEachChunk(path: path, range: offset..<fileSize, chunkSize: 16 << 10) { bytes, next in
            for i in 0..<bytes.count where bytes[i] == 0x0A || bytes[i] == 0x0D {
                if bytes[i] == 0x0D && (i + 1 < bytes.count ? bytes[i + 1] : next) == 0x0A { continue }
                found = position + i + 1
                return false
            }
            position += bytes.count
            return true
        }
        return found
    }
}
