import Foundation
import PasserelleCore

/// The cells a writing measure wrote, saved for the reference writers so they write the very same cells.
///
/// Tab-separated, UTF-8: line 1 the type of each column, line 2 the headers, then one line per row. Types:
/// `s` text, `i` integer, `m` money in cents, `p` percent in basis points, `d` date as an Excel serial, `f` a
/// formula with its cached money value (`12345=D4-E4-F4`). A value that does not fit its column's type is
/// written as text, as `XLSXSheetWriter.write(row:column:value:)` writes it; `.null` is an empty field. Text
/// escapes `\t`, `\n`, `\r` and `\\`. Read by `Benchmarks/reference/xlsx_write.c` and
/// `xlsx_write_xlsxwriter.py`, which document the same format.
struct CellsFile {
    /// A column: its header, its type letter and, for `f`, the formula of the cell on an Excel row (1-based; the
    /// header is row 1, the first data row 2).
    struct Column: Sendable {
        var header: String
        var type: Character
        var formula: (@Sendable (Int) -> String)?

        init(_ header: String, _ type: Character, formula: (@Sendable (Int) -> String)? = nil) {
            self.header = header
            self.type = type
            self.formula = formula
        }
    }

    let columns: [Column]
    private var bytes: [UInt8] = []
    private let handle: FileHandle
    private var row = 0

    /// Creates (or empties) the file at `path` and writes the two header lines.
    init(path: String, columns: [Column]) throws {
        self.columns = columns
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw BenchError("cannot create the cells file \(path)")
        }
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        bytes.reserveCapacity(1 << 20)
        line(columns.map { String($0.type) })
        line(columns.map { Self.escaped($0.header) })
    }

    /// The type letter of a column from its first non-null value (`s` when it has none).
    static func type(of values: some Sequence<Value>) -> Character {
        for value in values {
            switch value {
            case .null: continue
            case .integer: return "i"
            case .money: return "m"
            case .percent: return "p"
            case .date: return "d"
            case .text, .bool, .dateTime: return "s"
            }
        }
        return "s"
    }

    /// Appends one row (values in column order); flushes to disk every megabyte.
    mutating func append(_ values: [Value]) throws {
        row += 1
        line(values.enumerated().map { field($1, column: $0) })
        if bytes.count >= 1 << 20 { try flush() }
    }

    /// Writes what is left and closes the file.
    mutating func close() throws {
        try flush()
        try handle.close()
    }

    private mutating func flush() throws {
        try handle.write(contentsOf: bytes)
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func line(_ fields: [String]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(0x09) }
            bytes.append(contentsOf: field.utf8)
        }
        bytes.append(0x0A)
    }

    /// One field, as the writer writes the value: typed when it fits the column, else its text.
    private func field(_ value: Value, column: Int) -> String {
        let type = column < columns.count ? columns[column].type : "s"
        switch (value, type) {
        case (.null, _): return ""
        case (.money(let money), "f"): return "\(money.cents)" + (columns[column].formula?(row + 1) ?? "=0")
        case (.integer(let number), "i") where number.magnitude <= 1 << 53: return "\(number)"
        case (.money(let money), "m"): return "\(money.cents)"
        case (.percent(let basisPoints), "p"): return "\(basisPoints)"
        case (.date(let date), "d") where date.daysSinceEpoch + 25_569 >= 61: return "\(date.daysSinceEpoch + 25_569)"
        case (.date(let date), _): return Self.escaped(date.frenchText)
        case (.dateTime(let value), _): return Self.escaped(value.frenchText)
        case (.bool(let flag), _): return flag ? "Oui" : "Non"
        case (.text(let text), _): return Self.escaped(text)
        case (.integer(let number), _): return "\(number)"
        case (.money(let money), _): return Self.escaped(money.frenchText)
        case (.percent(let basisPoints), _): return "\(basisPoints)"
        }
    }

    private static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
