import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes one section of a report layout (`reports/*.yml`) as a CSV file the way a French Excel saves one.
///
/// `;` between fields, CRLF line ends, a header row, then one line per row. Values are written as Excel fr-FR
/// reads them back as values: money `1234,56` (decimal comma, no grouping, no sign, so the cell is a number),
/// dates `05/01/2027`, percentages `17,00%`, booleans `Oui`/`Non`. A field holding `;`, `"`, CR or LF is quoted
/// (`""` inside). Text starting with `=`, `+`, `-`, `@`, a tab or CR gets a leading `'` so Excel never runs it as
/// a formula (formats.md, "On output"). `encoding: utf-8` (default) writes Excel's "CSV UTF-8" (with the
/// `EF BB BF` mark); `windows-1252` writes its "CSV (séparateur : point-virgule)", a character the code page lacks
/// becoming `?` (counted in the run's notes). Rows are written as they are read, through a 256 KiB buffer: a
/// million rejected rows cost the buffer, not a copy of the file.
///
/// ```yaml
/// rejects_csv:
///   kind: output.csv_report
///   inputs: [store_stays]
///   options: { layout: ../reports/import-report.yml, section: Lignes rejetées, file: rejets.csv }
/// ```
struct CSVReportOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.csv_report", summary: "Write one section of a report layout as a French CSV file (;, CRLF).",
        options: [
            OptionSpec("layout", .path(mustExist: true), required: true, "The layout file (reports/*.yml)."),
            OptionSpec(
                "section", .string,
                "The title of the layout's section to write (needed when the layout has more than one)."),
            OptionSpec("file", .string, required: true, "The CSV file's name in the run folder."),
            OptionSpec(
                "encoding", .choice(["utf-8", "windows-1252"]),
                "utf-8 (default, with the byte-order mark Excel's \"CSV UTF-8\" writes) or windows-1252."),
        ], inputs: 1...64)

    let layout: ReportLayout
    let tableReads: TableReads
    let file: String
    let encoding: CSVEncoding

    init(spec: StageSpec) throws {
        let full = try ReportLayout.load(path: spec.options.string("layout") ?? "")
        let titles = full.sections.map(\.title)
        let chosen: ReportLayout.Section
        if let title = spec.options.string("section") {
            guard let section = full.sections.first(where: { $0.title == title }) else {
                throw StageError(
                    stage: spec.name, message: "the layout has no section titled '\(title)'",
                    fix: "use one of: " + titles.map { "'\($0)'" }.joined(separator: ", "), option: "section")
            }
            chosen = section
        } else {
            guard full.sections.count == 1, let only = full.sections.first else {
                throw StageError(
                    stage: spec.name, message: "the layout has \(full.sections.count) sections and a CSV file holds one",
                    fix: "name it with section: one of " + titles.map { "'\($0)'" }.joined(separator: ", "),
                    option: "layout")
            }
            chosen = only
        }
        layout = ReportLayout(title: full.title, sections: [chosen])
        tableReads = layout.tableReads
        file = spec.options.string("file") ?? "report.csv"
        encoding = spec.options.string("encoding") == "windows-1252" ? .windows1252 : .utf8BOM
    }

    var references: [TableReference] { layout.references }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let data = try ReportData(layout: layout, inputs: inputs)
        guard let section = data.sections.first else { return StageOutput(tables: [:], rowsIn: 0, rowsOut: 0) }
        var replaced = 0
        try context.writeOutput(named: file) { url in
            replaced = try FrenchCSVWriter.write(section, to: url, encoding: encoding)
        }
        if replaced > 0 {
            context.note("\(file): \(replaced) character(s) that Windows-1252 lacks written as '?' (use encoding: utf-8 to keep them)")
        }
        return StageOutput(tables: [:], rowsIn: section.rows.count, rowsOut: section.rows.count)
    }
}

/// The CSV bytes of a report section, streamed to a file. Written by hand: a CSV writer is a few lines, and the
/// French conventions (values as displayed, formula neutralising, Windows-1252) are what no library does for us.
enum FrenchCSVWriter {
    /// Writes the header and rows; returns how many characters the encoding could not write (written `?`).
    static func write(_ section: ReportData.Section, to url: URL, encoding: CSVEncoding) throws -> Int {
        guard let handle = fopen(url.path, "wb") else {
            throw ReportError(path: url.path, message: "cannot create the file", fix: "check the output folder's permissions")
        }
        defer { fclose(handle) }
        var out = Buffer(handle: handle, path: url.path, encoding: encoding)
        if encoding == .utf8BOM { out.bytes.append(contentsOf: UTF8Decoding.byteOrderMark) }
        out.line(section.headers.map(neutralised))
        for row in section.rows { try out.flushIfFull(); out.line(row.map(field)) }
        try out.flush()
        return out.replaced
    }

    /// A value as Excel fr-FR shows and reads it back.
    static func field(_ value: Value) -> String {
        switch value {
        case .null: ""
        case .text(let text): neutralised(text)
        case .money(let money): money.description.replacingOccurrences(of: ".", with: ",")
        case .percent(let basisPoints):
            "\(basisPoints < 0 ? "-" : "")\(abs(basisPoints) / 100),\(String(format2: Int(abs(basisPoints) % 100)))%"
        default: value.frenchText
        }
    }

    /// Text Excel would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`.
    static func neutralised(_ text: String) -> String {
        guard let first = text.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first)
        else { return text }
        return "'" + text
    }

    struct Buffer {
        let handle: UnsafeMutablePointer<FILE>
        let path: String
        let encoding: CSVEncoding
        var bytes: [UInt8] = []
        var replaced = 0

        init(handle: UnsafeMutablePointer<FILE>, path: String, encoding: CSVEncoding) {
            self.handle = handle
            self.path = path
            self.encoding = encoding
            bytes.reserveCapacity(1 << 18)
        }

        mutating func line(_ fields: [String]) {
            for (i, field) in fields.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ";")) }
                let quoted = field.utf8.contains { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
                if quoted {
                    bytes.append(UInt8(ascii: "\""))
                    append(field.replacingOccurrences(of: "\"", with: "\"\""))
                    bytes.append(UInt8(ascii: "\""))
                } else {
                    append(field)
                }
            }
            bytes.append(contentsOf: [0x0D, 0x0A])
        }

        private mutating func append(_ text: String) {
            guard encoding == .windows1252, !text.utf8.allSatisfy({ $0 < 0x80 }) else {
                bytes.append(contentsOf: text.utf8)
                return
            }
            for scalar in text.unicodeScalars {
                if let byte = Windows1252.byte(scalar) {
                    bytes.append(byte)
                } else {
                    bytes.append(UInt8(ascii: "?"))
                    replaced += 1
                }
            }
        }

        mutating func flushIfFull() throws { if bytes.count >= 1 << 18 { try flush() } }

        mutating func flush() throws {
            guard !bytes.isEmpty else { return }
            let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
            guard written == bytes.count else {
                throw ReportError(path: path, message: "the CSV file could not be written (disk full?)", fix: "free disk space and rerun")
            }
            bytes.removeAll(keepingCapacity: true)
        }
    }
}
