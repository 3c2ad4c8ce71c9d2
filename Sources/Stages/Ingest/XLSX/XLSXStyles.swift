import Foundation

/// How a number cell reads, decided by its style's number format.
enum NumberFormatKind: UInt8, Sendable {
    case number, date, duration

    /// Built-in formats (ECMA-376 18.8.30): 14–22, 45 and 47 are dates or times, 46 (`[h]:mm:ss`) a duration.
    static func builtIn(_ id: Int) -> NumberFormatKind {
        switch id {
        case 14...22, 45, 47: .date
        case 46: .duration
        default: .number
        }
    }

    /// Classifies a custom format code the way calamine does (`formats.rs`), so both read the same cells as dates.
    ///
    /// Only the first section counts (up to `;`); `"…"` literals and the character after `\`, `_` or `*` are
    /// skipped; `[…]` (colour, `[$-40C]` locale) is ignored except `[h]`, `[mm]`, `[ss]`, which make a duration;
    /// any `d m y h s` left makes a date, and `a` followed by `m`, `p` or `/` (AM/PM, a/p) too.
    static func custom(_ code: String) -> NumberFormatKind {
        var escaped = false, inQuote = false, afterA = false, elapsed = false
        var brackets = 0
        var previous: Character = " "
        for c in code {
            defer { previous = c }
            if escaped { escaped = false; continue }
            if inQuote { inQuote = c != "\""; continue }
            switch c {
            case "_", "\\", "*": escaped = true
            case "\"": inQuote = true
            case ";": return .number
            case "[": brackets += 1
            case "]" where brackets == 1 && elapsed: return .duration
            case "]": brackets = max(brackets - 1, 0)
            default:
                if brackets == 0, !afterA, c == "a" || c == "A" {
                    afterA = true
                } else if brackets == 0, afterA, "pPmM/".contains(c) {
                    return .date
                } else if brackets == 0, !afterA, "dDmMhHyYsS".contains(c) {
                    return .date
                } else if !(elapsed && c.lowercased() == previous.lowercased()) {
                    elapsed = previous == "[" && "hmsHMS".contains(c)
                }
            }
        }
        return .number
    }
}

/// Reads `styles.xml`: the number format of each `cellXfs` entry.
enum XLSXStyles {
    /// The kind of each cell style, indexed by the cells' `s` attribute.
    static func kinds(_ bytes: [UInt8], part: String, package: XLSXPackage) throws -> [NumberFormatKind] {
        var customFormats: [Int: NumberFormatKind] = [:]
        var kinds: [NumberFormatKind] = []
        var inCellXfs = false
        try XLSXStructure.scan(bytes, part: part, package: package) { p, token in
            if token.kind == .end, XMLScanner.equals(p, token.name, "cellXfs") { inCellXfs = false }
            guard token.kind == .start || token.kind == .selfClosing else { return }
            if XMLScanner.equals(p, token.name, "numFmt"),
                let id = XMLScanner.attribute(p, in: token.body, "numFmtId").flatMap({ Int($0) })
            {
                customFormats[id] = NumberFormatKind.custom(XMLScanner.attribute(p, in: token.body, "formatCode") ?? "")
            } else if XMLScanner.equals(p, token.name, "cellXfs") {
                inCellXfs = token.kind == .start
            } else if inCellXfs, XMLScanner.equals(p, token.name, "xf") {
                let id = XMLScanner.attribute(p, in: token.body, "numFmtId").flatMap { Int($0) } ?? 0
                kinds.append(customFormats[id] ?? NumberFormatKind.builtIn(id))
            }
        }
        return kinds
    }
}
