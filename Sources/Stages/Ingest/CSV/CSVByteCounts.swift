/// How many line ends and quotes a run of bytes holds: what cutting a file into segments needs to know.
///
/// A line end is a LF, or a CR not followed by a LF (a CRLF counts once), inside quoted fields or not: exactly what
/// the scanner adds to its line number. So the line at any byte offset that starts a record is the first line plus
/// the line ends before it, whatever the quoting.
struct CSVByteCounts: Equatable {
    var lineEnds = 0
    var quotes = 0

    static func + (lhs: CSVByteCounts, rhs: CSVByteCounts) -> CSVByteCounts {
        CSVByteCounts(lineEnds: lhs.lineEnds + rhs.lineEnds, quotes: lhs.quotes + rhs.quotes)
    }

    /// Counts `bytes`; `next` is the byte that follows them in the file (nil at the end), which decides whether a
    /// final CR is a line end.
    ///
    /// Hand-written, eight bytes at a time: it reads half the file before the parallel parse can start.
    static func count(_ bytes: UnsafeRawBufferPointer, next: UInt8?) -> CSVByteCounts {
        var counts = CSVByteCounts()
        var crLF = 0  // CR immediately followed by LF: counted as CRs, taken off at the end
        var previousEndsWithCR = false
        var i = 0
        while i + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let lineFeeds = matches(word, 0x0A)
            let returns = matches(word, 0x0D)
            counts.lineEnds += lineFeeds.nonzeroBitCount + returns.nonzeroBitCount
            counts.quotes += matches(word, 0x22).nonzeroBitCount
            crLF += (returns & (lineFeeds >> 8)).nonzeroBitCount
            if previousEndsWithCR && lineFeeds & 0x80 != 0 { crLF += 1 }
            previousEndsWithCR = returns >> 63 != 0
            i += 8
        }
        var previous: UInt8 = previousEndsWithCR ? 0x0D : 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0A || byte == 0x0D { counts.lineEnds += 1 }
            if byte == 0x22 { counts.quotes += 1 }
            if byte == 0x0A && previous == 0x0D { crLF += 1 }
            previous = byte
            i += 1
        }
        if previous == 0x0D && next == 0x0A { crLF += 1 }
        counts.lineEnds -= crLF
        return counts
    }

    /// The high bit of each byte of `word` that equals `byte`, and no other bit (no false positive, unlike the
    /// usual "has zero byte" test).
    @inline(__always)
    private static func matches(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        let t = (x & low7) &+ low7
        return ~(t | x | low7)
    }
}
