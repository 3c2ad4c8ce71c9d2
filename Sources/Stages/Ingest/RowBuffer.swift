import PasserelleCore

/// Rows typed apart from the table, in memory of their own, so that they can be moved behind the table's rows
/// without a retain and a release each (`TabularIngest.absorb`).
///
/// Hand-written: copying the second half of 1 000 000 rows into the table, then releasing the copies, took 3 % of
/// `csv_ingest`, all of it on one thread after the parallel part (perf).
///
/// `@unchecked Sendable`: one thread fills it, then hands it over, through the scan's lock, to the thread that
/// empties it; no two threads use it at once.
final class RowBuffer: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Row>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func append(_ row: Row) {
        if count == capacity {
            let larger = UnsafeMutablePointer<Row>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = larger
            capacity *= 2
        }
        (base + count).initialize(to: row)
        count += 1
    }

    /// Moves every row to the end of `rows`, `lines` lines further down, leaving the buffer empty.
    func move(to rows: inout [Row], shiftingLinesBy lines: Int) {
        rows.append(contentsOf: Draining(cursor: base, remaining: count, lines: lines))
        count = 0
    }

    /// Hands the rows over one by one, each moved out of the buffer's memory.
    private struct Draining: Sequence, IteratorProtocol {
        var cursor: UnsafeMutablePointer<Row>
        var remaining: Int
        var lines: Int

        var underestimatedCount: Int { remaining }

        mutating func next() -> Row? {
            guard remaining > 0 else { return nil }
            defer {
                cursor += 1
                remaining -= 1
            }
            var row = cursor.move()
            if lines != 0 { row.location = row.location.shifted(byLines: lines) }
            return row
        }
    }
}

extension SourceLocation {
    /// The same place `lines` lines further down a CSV file (other places are returned as they are).
    func shifted(byLines lines: Int) -> SourceLocation {
        guard case .csv(let file, let line, let field, let header) = self else { return self }
        return .csv(file: file, line: line + lines, field: field, header: header)
    }
}
