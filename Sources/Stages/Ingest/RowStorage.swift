import Dispatch
import PasserelleCore
import Synchronization

#if canImport(Glibc)
    internal import Glibc
#endif

/// The table's own array, filled in place by the threads of a parallel scan: the first thread's rows from the
/// front, each other segment's rows from the back once the segment is done; `assemble` then closes the gap.
///
/// Hand-written: the rows of 1 000 000 stays are typed on two threads and must end in one array. Appending the
/// second thread's rows to the first's copied each row (a retain, later a release); moving them still took 150 ms
/// on one thread after the parallel part, and gathering every row into a new array on both threads 270 ms
/// (instrumented runs). Written in place, a row is moved at most once more, by a `memmove` closing the gap.
///
/// `@unchecked Sendable`: slots are handed out under `state`'s lock, each range to one thread, which alone
/// writes it until the scan is over.
final class RowStorage: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Row>
    let capacity: Int
    private let state: Mutex<State>

    private struct State {
        /// Slots before `front` are the first thread's, from `back` on the other segments'.
        var front: Int
        var back: Int
        /// Every range of slots filled from the back, in the order it was given.
        var committed: [Range<Int>] = []
    }

    /// What `assemble` made.
    enum Assembly {
        /// The rows are the first `count` slots of the storage.
        case inPlace(count: Int)
        /// The rows did not fit the fast way (a segment scanned again, an estimate too low): here they are, in an
        /// array of their own; the storage holds none.
        case elsewhere([Row])
    }

    /// Storage over `slots`, uninitialised memory of at least one row.
    ///
    /// The memory is marked for huge pages where the system allows them (`madvise`, Linux): one page fault per
    /// 2 MiB instead of per 4 KiB for the 100 MB a million rows take (best effort: ignored where refused).
    init(_ slots: UnsafeMutablePointer<Row>, capacity: Int) {
        base = slots
        self.capacity = capacity
        state = Mutex(State(front: 0, back: capacity))
        #if os(Linux)
            let huge = 2 << 20
            let start = (Int(bitPattern: slots) + huge - 1) / huge * huge
            let end = (Int(bitPattern: slots + capacity)) / huge * huge
            if end > start, let address = UnsafeMutableRawPointer(bitPattern: start) {
                _ = madvise(address, end - start, MADV_HUGEPAGE)
            }
        #endif
    }

    /// Reserves up to `count` more slots for the first thread, after those it has; nil when none is left.
    func reserveFront(_ count: Int) -> Range<Int>? {
        state.withLock { state in
            let granted = min(count, state.back - state.front)
            guard granted > 0 else { return nil }
            defer { state.front += granted }
            return state.front..<(state.front + granted)
        }
    }

    /// Writes a row into a slot reserved by `reserveFront`.
    func initialize(_ slot: Int, to row: Row) {
        (base + slot).initialize(to: row)
    }

    /// Moves the rows of `buffer` into slots just before those already filled from the back; their range, or nil
    /// (the rows are left in the buffer) when the first thread's slots are in the way.
    func commit(_ buffer: RowBuffer) -> Range<Int>? {
        let range = state.withLock { state -> Range<Int>? in
            guard state.back - state.front >= buffer.count else { return nil }
            state.back -= buffer.count
            state.committed.append(state.back..<(state.back + buffer.count))
            return state.back..<(state.back + buffer.count)
        }
        if let range { buffer.moveAll(to: base + range.lowerBound, shiftingLinesBy: 0) }
        return range
    }

    /// Puts the rows of `parts`, in order, each `lines` lines further down, at the front of the storage; the first
    /// part must be the one filled from the front.
    func assemble(_ parts: [(rows: SegmentRows, lines: Int)]) -> Assembly {
        let committed = state.withLock { $0.committed }
        guard let first = parts.first, first.rows.isFront, first.rows.spilled.count == 0 else {
            return .elsewhere(gather(parts, committed: committed))
        }
        // The fast way: the other parts' rows sit from the back, in file order, one run after the other.
        var expected = capacity
        for part in parts.dropFirst().reversed() {
            guard !part.rows.isFront, part.rows.spilled.count == 0, let range = part.rows.committed,
                range.upperBound == expected
            else { return .elsewhere(gather(parts, committed: committed)) }
            expected = range.lowerBound
        }
        guard committed.count == parts.count - 1 else { return .elsewhere(gather(parts, committed: committed)) }
        let (front, back) = (first.rows.written, expected)
        let backCount = capacity - back
        shiftAndTouch(
            parts.dropFirst().compactMap { part in part.rows.committed.map { ($0, part.lines) } },
            gap: front..<min(back, front + backCount))
        (base + front).moveInitialize(from: base + back, count: backCount)
        return .inPlace(count: front + backCount)
    }

    /// On all threads: adds to the lines of each range's rows, in place, and writes to each page of `gap` (memory
    /// never touched yet, where the rows are about to move), so that the kernel's zeroing of those pages is shared
    /// too.
    private func shiftAndTouch(_ ranges: [(rows: Range<Int>, lines: Int)], gap: Range<Int>) {
        let tasks = Self.tasks(shifting: ranges, touching: gap)
        let rows = Slots(base: base)
        DispatchQueue.concurrentPerform(iterations: tasks.count) { index in
            let task = tasks[index]
            guard let lines = task.lines else {
                let raw = UnsafeMutableRawPointer(rows.base + task.rows.lowerBound)
                let bytes = task.rows.count * MemoryLayout<Row>.stride
                for offset in stride(from: 0, to: bytes, by: 4096) {
                    raw.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
                }
                return
            }
            for slot in task.rows {
                rows.base[slot].location = rows.base[slot].location.shifted(byLines: lines)
            }
        }
    }

    /// The work of `shiftAndTouch` in slices of 32 768 rows: those whose lines to shift, then those of the gap (no
    /// lines).
    private static func tasks(shifting ranges: [(rows: Range<Int>, lines: Int)], touching gap: Range<Int>)
        -> [(rows: Range<Int>, lines: Int?)]
    {
        let slice = 1 << 15
        var tasks: [(rows: Range<Int>, lines: Int?)] = []
        for (rows, lines) in ranges where lines != 0 {
            for start in stride(from: rows.lowerBound, to: rows.upperBound, by: slice) {
                tasks.append((start..<min(start + slice, rows.upperBound), lines))
            }
        }
        for start in stride(from: gap.lowerBound, to: gap.upperBound, by: slice) {
            tasks.append((start..<min(start + slice, gap.upperBound), nil))
        }
        return tasks
    }

    /// The slots, handed to the threads of `shiftAndTouch`: each task touches its own range of them.
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<Row>
    }

    /// The slow way: every row moved out, in order, into a new array; the rows of ranges no part claims (a segment
    /// scanned again) are destroyed.
    private func gather(_ parts: [(rows: SegmentRows, lines: Int)], committed: [Range<Int>]) -> [Row] {
        let all = RowBuffer(
            capacity: parts.reduce(0) { $0 + $1.rows.written + ($1.rows.committed?.count ?? 0) + $1.rows.spilled.count }
        )
        var used = Set<Range<Int>>()
        for part in parts {
            let committed = part.rows.committed ?? 0..<0
            used.insert(committed)
            for slot in Array(part.rows.slots) + Array(committed) {
                var row = (base + slot).move()
                row.location = row.location.shifted(byLines: part.lines)
                all.append(row)
            }
            part.rows.spilled.drain {
                var row = $0
                row.location = row.location.shifted(byLines: part.lines)
                all.append(row)
            }
        }
        for range in committed where !used.contains(range) && !range.isEmpty {
            (base + range.lowerBound).deinitialize(count: range.count)
        }
        return [Row](unsafeUninitializedCapacity: all.count) { buffer, initialized in
            guard let target = buffer.baseAddress else { return }
            initialized = all.count
            all.moveAll(to: target, shiftingLinesBy: 0)
        }
    }
}

/// Where the rows kept from one segment go.
///
/// For the first segment, straight into the storage's front slots; for the others, a buffer of their own, moved
/// into slots at the back when the segment is done (`commit`). Rows that find no slot stay in the buffer
/// (`spilled`), and `RowStorage.assemble` then takes the slow way.
///
/// `@unchecked Sendable`: used by one thread at a time, as the part it belongs to.
final class SegmentRows: @unchecked Sendable {
    let storage: RowStorage
    let isFront: Bool
    /// Rows written to the front slots `0..<written` (first segment only).
    private(set) var written = 0
    private var reserved = 0
    /// Rows not (yet) in the storage.
    let spilled: RowBuffer
    /// The back slots the rows were moved to.
    private(set) var committed: Range<Int>?

    /// Rows for the first segment (`isFront`) or another, whose buffer starts with room for `capacity` rows.
    init(storage: RowStorage, isFront: Bool, capacity: Int) {
        self.storage = storage
        self.isFront = isFront
        spilled = RowBuffer(capacity: isFront ? 16 : capacity)
    }

    /// The front slots this part has written.
    var slots: Range<Int> { 0..<written }

    func append(_ row: Row) {
        if isFront && spilled.count == 0 {
            if written == reserved, let more = storage.reserveFront(4096) { reserved = more.upperBound }
            if written < reserved {
                storage.initialize(written, to: row)
                written += 1
                return
            }
        }
        spilled.append(row)
    }

    /// Moves the rows to back slots, if there is room (the other segments only, once each).
    func commit() {
        guard !isFront, committed == nil else { return }
        committed = storage.commit(spilled)
    }
}
