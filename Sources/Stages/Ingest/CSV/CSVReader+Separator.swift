extension CSVReader {
    /// How many records separator detection looks at.
    static let sniffRecords = 20

    /// Chooses the separator that splits the first records most consistently.
    ///
    /// Each candidate is counted outside quotes on each record. A candidate scores the number of records whose
    /// count equals the header's (a `;` file full of `1 234,50` amounts has a steady `;` count and a varying `,`
    /// count); ties go to the higher header count, then to the order of `candidateSeparators` (`;` first, as French
    /// Excel writes). A file where no candidate appears is a one-column file: `;` is returned.
    static func sniffSeparator(_ bytes: UnsafeBufferPointer<UInt8>, isWholeFile: Bool) -> UInt8 {
        var counts = separatorCounts(bytes)
        if !isWholeFile && counts.count > 1 { counts.removeLast() }  // the last record may be cut
        guard let header = counts.first else { return candidateSeparators[0] }
        var best = (index: 0, consistent: 0, width: 0)
        for (k, width) in header.enumerated() where width > 0 {
            let consistent = counts.filter { $0[k] == width }.count
            if consistent > best.consistent || (consistent == best.consistent && width > best.width) {
                best = (k, consistent, width)
            }
        }
        return candidateSeparators[best.index]
    }

    /// For each of the first non-blank records, how many times each candidate appears outside quotes.
    static func separatorCounts(_ bytes: UnsafeBufferPointer<UInt8>) -> [[Int]] {
        let quote = UInt8(ascii: "\"")
        var records: [[Int]] = []
        var current = [Int](repeating: 0, count: candidateSeparators.count)
        var hasContent = false
        var isQuoted = false
        for byte in bytes {
            if byte == quote { isQuoted.toggle() }
            if isQuoted { continue }
            if byte == 0x0A || byte == 0x0D {
                if hasContent { records.append(current) }
                if records.count == sniffRecords { return records }
                current = current.map { _ in 0 }
                hasContent = false
                continue
            }
            hasContent = true
            if let k = candidateSeparators.firstIndex(of: byte) { current[k] += 1 }
        }
        if hasContent { records.append(current) }
        return records
    }
}
