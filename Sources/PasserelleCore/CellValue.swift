/// A raw cell as a reader found it, before any column mapping or typing.
package enum CellValue: Sendable, Hashable {
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A spreadsheet error such as `#DIV/0!` or `#N/A`.
    case error(String)
    /// A date cell (recognised from its number format or an ISO `t="d"` cell), with the seconds into the day.
    case date(CalendarDate, secondsOfDay: Int)
    /// A duration cell (`[h]:mm:ss`), in seconds.
    case duration(Double)

    /// The cell as a user would read it, for error messages and rejected-row reports.
    package var displayText: String {
        switch self {
        case .empty: return ""
        case .text(let text): return text
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case .bool(let value): return value ? "VRAI" : "FAUX"
        case .error(let code): return code
        case .date(let date, let seconds):
            if seconds == 0 { return date.frenchText }
            return "\(date.frenchText) \(seconds / 3600):\(String(format2: (seconds / 60) % 60))"
        case .duration(let seconds): return String(seconds)
        }
    }

    /// Whether the cell holds nothing, or only whitespace.
    package var isBlank: Bool {
        switch self {
        case .empty: return true
        case .text(let text): return text.allSatisfy(\.isWhitespace)
        default: return false
        }
    }
}

extension String {
    /// Two-digit zero-padded rendering of a small non-negative integer.
    package init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : String(value)
    }

    /// The text with zeros before it up to `width` characters (`"7".leftPadded(4)` is `"0007"`).
    package func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
