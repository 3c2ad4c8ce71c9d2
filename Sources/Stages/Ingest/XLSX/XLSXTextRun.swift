/// One `<t>` element being collected: where its text starts and whether its outer whitespace counts.
///
/// Without `xml:space="preserve"`, leading and trailing spaces, tabs and line breaks of a `<t>` are not part
/// of the text (calamine trims them too; Excel always writes `preserve` when they matter).
struct XLSXTextRun {
    private var start = 0
    private var preservesSpace = true

    init() {}

    /// Starts a run at `start` in the collected bytes, reading `xml:space` from the tag's attributes.
    init(_ p: UnsafeBufferPointer<UInt8>, _ attributes: Range<Int>, start: Int) {
        self.start = start
        var preserve = false
        XMLScanner.forEachAttribute(p, in: attributes) { name, value in
            if XMLScanner.equals(p, name, "space"), XMLScanner.equals(p, value, "preserve") { preserve = true }
        }
        preservesSpace = preserve
    }

    /// Trims the run's outer whitespace from `text` unless the run preserves it.
    func finish(_ text: inout [UInt8]) {
        guard !preservesSpace, start <= text.count else { return }
        var lo = start
        var hi = text.count
        while lo < hi, XMLScanner.isSpace(text[lo]) { lo += 1 }
        while hi > lo, XMLScanner.isSpace(text[hi - 1]) { hi -= 1 }
        if hi < text.count { text.removeSubrange(hi...) }
        if lo > start { text.removeSubrange(start..<lo) }
    }
}
