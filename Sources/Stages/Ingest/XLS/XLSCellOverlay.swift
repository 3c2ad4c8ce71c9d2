import Foundation
import PasserelleCore

/// The cells libfreexl skips or misreads, read straight from the BIFF records: formula results, error and
/// boolean cells, durations.
///
/// Hand-written: libfreexl ignores FORMULA (`0x0006`) and STRING (`0x0207`) records, so the values Excel cached
/// for formulas never reach `XLSReader`; it reads `[h]:mm:ss` cells as times of day and error cells as numbers
/// (`#VALUE!` comes out as 1); no other Debian library reads BIFF. This walks the `Workbook` stream (through
/// `CompoundFile`) once, keeps the number format of each XF record, and collects, per worksheet, the cached
/// value of every formula (number, text, boolean, error; shared and array formulas carry theirs in their own
/// FORMULA record), every BOOLERR cell, and every number cell whose format is a duration. `XLSReader` lays these
/// over the cells freexl returns.
struct XLSCellOverlay {
    /// The collected cells of one sheet, 0-based.
    struct Sheet {
        /// The sheet's name as its BOUNDSHEET record gives it.
        var name: String
        /// Whether it is a worksheet (BOUNDSHEET type 0), as opposed to a chart, macro or VBA sheet.
        var isWorksheet: Bool
        /// Cells by row, then column.
        var cells: [Int: [Int: CellValue]] = [:]
        /// One past the last row and column holding a collected cell.
        var rowEnd = 0, columnEnd = 0

        /// Records a cell; BIFF sheets end at column IV (256 columns), so a cell beyond is a corrupt record.
        mutating func set(row: Int, column: Int, _ value: CellValue) throws(CompoundFile.Failure) {
            guard column < 256 else {
                throw CompoundFile.Failure("a cell of sheet '\(name)' lies in column \(column + 1), beyond IV")
            }
            cells[row, default: [:]][column] = value
            rowEnd = max(rowEnd, row + 1)
            columnEnd = max(columnEnd, column + 1)
        }

        /// The collected value at a 0-based position, if any.
        func value(row: Int, column: Int) -> CellValue? { cells[row]?[column] }
    }

    /// Every sheet of the workbook, in tab order.
    let sheets: [Sheet]

    /// Reads the workbook stream of the compound file at `path`.
    init(path: String) throws(CompoundFile.Failure) {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        } catch {
            throw CompoundFile.Failure("cannot read the file: \(error.localizedDescription)")
        }
        let file = try CompoundFile(bytes: bytes)
        guard let stream = try file.stream(named: ["Workbook", "Book"]) else {
            throw CompoundFile.Failure("no Workbook stream")
        }
        try self.init(stream: stream)
    }

    /// Reads a BIFF5 or BIFF8 workbook stream.
    init(stream: [UInt8]) throws(CompoundFile.Failure) {
        let globals = try Globals(stream)
        var sheets: [Sheet] = []
        var walked = 0
        for (offset, sheet) in globals.boundSheets {
            var collected = sheet
            if sheet.isWorksheet {
                walked += try globals.collect(into: &collected, stream: stream, from: offset)
                // Real sheets are disjoint parts of the stream; crafted BOUNDSHEETs could make us reread it endlessly.
                guard walked <= stream.count else { throw CompoundFile.Failure("worksheets overlap in the stream") }
            }
            sheets.append(collected)
        }
        self.sheets = sheets
    }

    /// The workbook globals: BIFF version, date system, number formats by XF, sheets and where they start.
    fileprivate struct Globals {
        var isBIFF8 = true
        var is1904 = false
        var formats: [Int: NumberFormatKind] = [:]
        var xfKinds: [NumberFormatKind] = []
        var boundSheets: [(offset: Int, sheet: Sheet)] = []

        init(_ stream: [UInt8]) throws(CompoundFile.Failure) {
            var records = BIFFRecords(stream)
            var formatIDs: [Int] = []
            while let record = try records.next() {
                switch record.type {
                case 0x0809:  // BOF
                    try record.require(2, "BOF")
                    isBIFF8 = record.u16(0) != 0x0500
                case 0x0022:  // DATE1904
                    try record.require(2, "DATE1904")
                    is1904 = record.u16(0) == 1
                case 0x041E:  // FORMAT
                    try record.require(2, "FORMAT")
                    let code = try BIFFText.string(record, at: 2, isBIFF8: isBIFF8, countBytes: isBIFF8 ? 2 : 1)
                    formats[Int(record.u16(0))] = NumberFormatKind.custom(code)
                case 0x00E0:  // XF
                    try record.require(4, "XF")
                    formatIDs.append(Int(record.u16(2)))
                case 0x0085:  // BOUNDSHEET
                    try record.require(8, "BOUNDSHEET")
                    let name = try BIFFText.string(record, at: 6, isBIFF8: isBIFF8, countBytes: 1)
                    let sheet = Sheet(name: name, isWorksheet: record.byte(5) == 0)
                    boundSheets.append((Int(record.u32(0)), sheet))
                case 0x000A:  // EOF of the globals
                    xfKinds = formatIDs.map { formats[$0] ?? NumberFormatKind.builtIn($0) }
                    return
                default: break
                }
            }
            throw CompoundFile.Failure("the workbook globals end without an EOF record")
        }
    }
}

extension XLSCellOverlay.Globals {
    /// Collects the formula results and duration cells of the worksheet whose BOF is at `offset`; returns the
    /// number of bytes walked.
    func collect(
        into sheet: inout XLSCellOverlay.Sheet, stream: [UInt8], from offset: Int
    ) throws(CompoundFile.Failure) -> Int {
        var records = BIFFRecords(stream, from: offset)
        var pendingString: (row: Int, column: Int)?
        while let record = try records.next() {
            switch record.type {
            case 0x0006:  // FORMULA: row, column, XF, cached value (8 bytes), flags, chn, formula
                try record.require(20, "FORMULA")
                let (row, column) = (Int(record.u16(0)), Int(record.u16(2)))
                pendingString = nil
                if record.u16(12) == 0xFFFF {
                    switch record.byte(6) {
                    case 0: pendingString = (row, column)  // text: the STRING record that follows holds it
                    case 1: try sheet.set(row: row, column: column, .bool(record.byte(8) != 0))
                    case 2: try sheet.set(row: row, column: column, .error(Self.errorText(record.byte(8))))
                    default: try sheet.set(row: row, column: column, .text(""))  // 3: an empty string
                    }
                } else {
                    try sheet.set(row: row, column: column, number(record.double(6), xf: Int(record.u16(4))))
                }
            case 0x0207:  // STRING: the text result of the FORMULA before it
                guard let (row, column) = pendingString else { continue }
                let text = try BIFFText.string(record, at: 0, isBIFF8: isBIFF8)
                try sheet.set(row: row, column: column, .text(text))
                pendingString = nil
            case 0x0205:  // BOOLERR: freexl reads an error code as a number (#VALUE! comes out as 1)
                try record.require(8, "BOOLERR")
                let value = record.byte(6)
                let cell: CellValue = record.byte(7) == 0 ? .bool(value != 0) : .error(Self.errorText(value))
                try sheet.set(row: Int(record.u16(0)), column: Int(record.u16(2)), cell)
            case 0x0203:  // NUMBER
                try record.require(14, "NUMBER")
                try setIfDuration(&sheet, record.u16(0), record.u16(2), xf: record.u16(4), record.double(6))
            case 0x027E:  // RK
                try record.require(10, "RK")
                try setIfDuration(&sheet, record.u16(0), record.u16(2), xf: record.u16(4), Self.rk(record.u32(6)))
            case 0x00BD:  // MULRK: row, first column, (XF, RK) × n, last column
                try record.require(6, "MULRK")
                for k in 0..<(record.data.count - 6) / 6 {
                    let column = record.u16(2) &+ UInt16(truncatingIfNeeded: k)
                    let value = Self.rk(record.u32(6 + 6 * k))
                    try setIfDuration(&sheet, record.u16(0), column, xf: record.u16(4 + 6 * k), value)
                }
            case 0x000A:  // EOF: the sheet ends (an embedded chart's own BOF…EOF comes after the cells)
                return records.position - offset
            default: break
            }
        }
        return records.position - offset
    }

    private func kind(_ xf: Int) -> NumberFormatKind { xf < xfKinds.count ? xfKinds[xf] : .number }

    /// A number as its format shows it: a date, a duration (seconds, to the millisecond) or a plain number.
    private func number(_ value: Double, xf: Int) -> CellValue {
        switch kind(xf) {
        case .number: return .number(value)
        case .duration: return .duration((value * 86_400_000).rounded() / 1000)
        case .date:
            guard let (date, seconds) = CalendarDate.fromExcelSerial(value, is1904: is1904) else {
                return .number(value)
            }
            return .date(date, secondsOfDay: seconds)
        }
    }

    private func setIfDuration(
        _ sheet: inout XLSCellOverlay.Sheet, _ row: UInt16, _ column: UInt16, xf: UInt16, _ value: Double
    ) throws(CompoundFile.Failure) {
        guard kind(Int(xf)) == .duration else { return }
        try sheet.set(row: Int(row), column: Int(column), number(value, xf: Int(xf)))
    }

    /// An RK number: 30 bits of integer or of the top of a double, optionally divided by 100.
    static func rk(_ raw: UInt32) -> Double {
        let value =
            raw & 0x02 != 0
            ? Double(Int32(bitPattern: raw) >> 2) : Double(bitPattern: UInt64(raw & 0xFFFF_FFFC) << 32)
        return raw & 0x01 != 0 ? value / 100 : value
    }

    /// Excel's text for a BIFF error code (MS-XLS 2.5.10 BErr).
    static func errorText(_ code: UInt8) -> String {
        switch code {
        case 0x00: "#NULL!"
        case 0x07: "#DIV/0!"
        case 0x0F: "#VALUE!"
        case 0x17: "#REF!"
        case 0x1D: "#NAME?"
        case 0x24: "#NUM!"
        case 0x2A: "#N/A"
        default: "#GETTING_DATA"
        }
    }
}
