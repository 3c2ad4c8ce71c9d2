import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file-name pattern of an inbox: `*`, `?`, `[…]` as in the shell, and `{xlsx,csv}` alternatives.
package struct FilePattern: Sendable, Equatable {
    package let text: String
    private let alternatives: [String]

    package init(_ text: String) {
        self.text = text
        alternatives = FilePattern.expandBraces(text)
    }

    /// Whether a file name (not a path) matches, ignoring case (`SEJOURS.CSV` matches `sejours*.csv`).
    package func matches(_ name: String) -> Bool {
        alternatives.contains { fnmatch($0.lowercased(), name.lowercased(), 0) == 0 }
    }

    /// `a{b,c}d{e,f}` → `abde abdf acde acdf` (no nesting: an inbox pattern never needs it).
    static func expandBraces(_ text: String) -> [String] {
        guard let open = text.firstIndex(of: "{"), let close = text[open...].firstIndex(of: "}") else { return [text] }
        let head = String(text[..<open])
        let tail = String(text[text.index(after: close)...])
        let choices = text[text.index(after: open)..<close].split(separator: ",", omittingEmptySubsequences: false)
        return choices.flatMap { choice in expandBraces(tail).map { head + choice + $0 } }
    }
}
