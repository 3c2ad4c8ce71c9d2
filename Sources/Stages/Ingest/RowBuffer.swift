import PasserelleCore

/// Rows in memory of their own, moved out later without a retain and a release each.
///
/// `@unchecked Sendable`: one thread fills it, then hands it over, through the scan's lock, to the thread that
/// empties it; no two threads use it at once.
final class RowBuffer: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Row>
    private var capacity: Int
    private(set) var count = 0

    /// A buffer with room for `capacity` rows (the memory is only touched as rows fill it).
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

    /// Moves every row to `target`, `lines` lines further down, leaving the buffer empty.
    func moveAll(to target: UnsafeMutablePointer<Row>, shiftingLinesBy lines: Int) {
        Self.move(from: base, to: target, count: count, shiftingLinesBy: lines)
        count = 0
    }

    /// Hands every row to `body`, in order, leaving the buffer empty.
    func drain(_ body: (Row) -> Void) {
        for index in 0..<count { body((base + index).move()) }
        count = 0
    }

    /// Moves `count` rows from `source` to `target` (which may overlap it from below), `lines` lines further down.
    static func move(
        from source: UnsafeMutablePointer<Row>, to target: UnsafeMutablePointer<Row>, count: Int,
        shiftingLinesBy lines: Int
    ) {
        guard lines != 0 else {
            target.moveInitialize(from: source, count: count)
            return
        }
        for index in 0..<count {
            var row = (source + index).move()
            row.location = row.location.shifted(byLines: lines)
            (target + index).initialize(to: row)
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
