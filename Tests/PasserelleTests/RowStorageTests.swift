import PasserelleCore
import Testing

@testable import PasserelleStages

/// A row at a line of file `f`, its value the same number (which stays when the line is shifted).
private func row(_ line: Int) -> Row {
    Row(location: .csv(file: "f", line: line, field: nil, header: nil), values: [.integer(Int64(line))])
}

/// Fills a storage of `capacity` slots with `fill`, assembles the parts it returns and gives the rows, and whether
/// they stayed in place.
private func assembled(
    capacity: Int, _ fill: (RowStorage) -> [(rows: SegmentRows, lines: Int)]
) -> (rows: [Row], inPlace: Bool) {
    var inPlace = false
    var elsewhere: [Row] = []
    let rows = [Row](unsafeUninitializedCapacity: capacity) { slots, initialized in
        guard let base = slots.baseAddress else { return }
        let storage = RowStorage(base, capacity: slots.count)
        switch storage.assemble(fill(storage)) {
        case .inPlace(let count):
            initialized = count
            inPlace = true
        case .elsewhere(let rows): elsewhere = rows
        }
    }
    return (inPlace ? rows : elsewhere, inPlace)
}

/// A segment after the first, its rows numbered from 0, committed at once.
private func back(_ storage: RowStorage, rows count: Int, commit: Bool = true) -> SegmentRows {
    let rows = SegmentRows(storage: storage, isFront: false, capacity: 4)
    for line in 0..<count { rows.append(row(line)) }
    if commit { rows.commit() }
    return rows
}

@Suite struct RowStorageTests {
    @Test func closesTheGapAndShiftsTheLinesInPlace() {
        let result = assembled(capacity: 5000) { storage in
            let front = SegmentRows(storage: storage, isFront: true, capacity: 0)
            for line in 1...5 { front.append(row(line)) }
            let last = back(storage, rows: 3)  // the other threads take segments from the end backwards
            let middle = back(storage, rows: 4)
            return [(front, 0), (middle, 6), (last, 10)]
        }
        #expect(result.inPlace)
        #expect(result.rows.map(\.location.line) == Array(1...12))
        #expect(result.rows.map(\.values) == ((1...5).map(row) + (0...3).map(row) + (0...2).map(row)).map(\.values))
    }

    @Test func gathersTheRowsElsewhereWhenTheFirstSegmentOutgrewItsRoom() {
        let result = assembled(capacity: 4100) { storage in
            let last = back(storage, rows: 3)
            let front = SegmentRows(storage: storage, isFront: true, capacity: 0)
            for line in 0..<4100 { front.append(row(line)) }  // 4 097 slots for it, then its own buffer
            return [(front, 0), (last, 4100)]
        }
        #expect(!result.inPlace)
        #expect(result.rows.map(\.location.line) == Array(0..<4103))
        #expect(result.rows.map(\.values) == ((0..<4100).map(row) + (0..<3).map(row)).map(\.values))
    }

    @Test func gathersTheRowsElsewhereWhenASegmentWasScannedAgain() {
        let result = assembled(capacity: 5000) { storage in
            let front = SegmentRows(storage: storage, isFront: true, capacity: 0)
            for line in 1...2 { front.append(row(line)) }
            let last = back(storage, rows: 2)
            _ = back(storage, rows: 7)  // a segment that started inside a quoted field: its rows are dropped
            let again = back(storage, rows: 3, commit: false)  // scanned again, from line 3
            return [(front, 0), (again, 3), (last, 6)]
        }
        #expect(!result.inPlace)
        #expect(result.rows.map(\.location.line) == Array(1...7))
        #expect(result.rows.map(\.values) == ((1...2).map(row) + (0..<3).map(row) + (0..<2).map(row)).map(\.values))
    }

    @Test func keepsTheRowsOfASegmentThatFoundNoRoom() {
        let result = assembled(capacity: 4098) { storage in
            let front = SegmentRows(storage: storage, isFront: true, capacity: 0)
            front.append(row(0))  // reserves 4 096 slots
            let last = back(storage, rows: 5)  // only 2 slots left: its rows stay in its buffer
            return [(front, 0), (last, 1)]
        }
        #expect(!result.inPlace)
        #expect(result.rows.map(\.location.line) == Array(0...5))
        #expect(result.rows.map(\.values) == ([row(0)] + (0..<5).map(row)).map(\.values))
    }
}
