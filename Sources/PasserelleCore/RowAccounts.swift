/// Lines of one file (and sheet) whose rows a stage stored: `first...last`, 1-based, as in the file.
///
/// A storing stage records the line of every row it stores; the runner keeps them as ranges (a million stays
/// with a few thousand rejected rows between them are a few thousand ranges, not a million rows) in the store
/// beside the run, where the end of the run counts them.
package struct StoredLines: Sendable, Hashable {
    package var file: String
    package var sheet: String?
    package var first: Int
    package var last: Int

    package init(file: String, sheet: String?, first: Int, last: Int) {
        self.file = file
        self.sheet = sheet
        self.first = first
        self.last = last
    }

    /// How many distinct lines per file the ranges cover (ranges of several stages may overlap).
    package static func lineCounts(_ ranges: [StoredLines]) -> [String: Int] {
        var counts: [String: Int] = [:]
        let grouped = Dictionary(grouping: ranges) { "\($0.file)\u{0}\($0.sheet ?? "")" }
        for group in grouped.values {
            var end = Int.min
            var count = 0
            for range in group.sorted(by: { $0.first < $1.first }) {
                let start = max(range.first, end + 1)
                if range.last >= start { count += range.last - start + 1 }
                end = max(end, range.last)
            }
            counts[group[0].file, default: 0] += count
        }
        return counts
    }
}

/// Collects the lines of the rows a stage stores, by file and sheet, and gives them back as ranges.
package struct StoredLineSet: Sendable {
    private struct Key: Hashable {
        var file: String
        var sheet: String?
    }

    private var lines: [Key: [UInt32]] = [:]

    package init() {}

    /// Whether no line was recorded.
    package var isEmpty: Bool { lines.isEmpty }

    /// Records the row at `location` as stored (a location without a line, a whole file, records nothing).
    package mutating func insert(_ location: SourceLocation) {
        guard let line = location.line else { return }
        lines[Key(file: location.file, sheet: location.sheet), default: []].append(UInt32(clamping: line))
    }

    /// The lines as sorted, merged ranges, in a fixed order (file, sheet, first line).
    package func ranges() -> [StoredLines] {
        var ranges: [StoredLines] = []
        for key in lines.keys.sorted(by: { ($0.file, $0.sheet ?? "") < ($1.file, $1.sheet ?? "") }) {
            var first = -1
            var last = -2
            for line in (lines[key] ?? []).sorted().map(Int.init) {
                if line <= last + 1 {
                    last = max(last, line)
                    continue
                }
                if first >= 0 { ranges.append(StoredLines(file: key.file, sheet: key.sheet, first: first, last: last)) }
                (first, last) = (line, line)
            }
            if first >= 0 { ranges.append(StoredLines(file: key.file, sheet: key.sheet, first: first, last: last)) }
        }
        return ranges
    }
}

/// The rows of one input file, counted three ways that do not depend on each other: read (by its reader),
/// stored and rejected (from the store). Nothing is lost when read = stored + rejected.
package struct FileRowAccount: Sendable, Hashable {
    package var file: String
    package var read: Int
    package var stored: Int
    package var rejected: Int

    package init(file: String, read: Int, stored: Int, rejected: Int) {
        self.file = file
        self.read = read
        self.stored = stored
        self.rejected = rejected
    }

    /// Whether every row read is stored or rejected, and none twice.
    package var isBalanced: Bool { read == stored + rejected }

    /// Rows read that are neither stored nor rejected (negative: rows counted twice).
    package var unaccounted: Int { read - stored - rejected }
}
