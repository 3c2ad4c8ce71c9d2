import Foundation
import PasserelleCore

/// Turns the tokens of one worksheet part into rows of `CellValue`, token by token.
///
/// A state machine over `<row>`, `<c>`, `<v>`, `<is>`, `<t>` and `<rPh>`; every other element (formulas,
/// merged ranges, hyperlinks, extensions) is skipped. The current row's cell array is reused from row
/// to row, so a sheet of any length is read in constant memory.
struct XLSXSheetParser {
    /// What the workbook tells about cells: shared strings, style kinds, date system, limits and names.
    struct Context {
        let sharedStrings: [String]
        let styleKinds: [NumberFormatKind]
        let is1904: Bool
        let limits: WorkbookLimits
        let path: String
        let sheet: String
    }

    /// The `t` attribute of a cell.
    private enum CellType { case number, shared, formulaString, inline, bool, error, isoDate }

    private let context: Context
    private var cells: [CellValue] = []
    private var rowNumber = 0
    private var inRow = false
    private var column = 0
    private var cellType = CellType.number
    private var style = 0
    private var text: [UInt8] = []
    private var hasValue = false
    private var collecting = false
    private var inInline = false
    private var phoneticDepth = 0
    private var run = XLSXTextRun()

    init(context: Context) {
        self.context = context
        cells.reserveCapacity(64)
        text.reserveCapacity(64)
    }

    /// Takes one token of `p`, calling `emit` at each row end.
    @inline(__always)
    mutating func handle(
        _ p: UnsafeBufferPointer<UInt8>, _ token: XMLToken, emit: (Int, [CellValue]) throws -> Void
    ) throws {
        switch token.kind {
        case .text, .cdata: if collecting { try appendText(p, token) }
        case .start: try open(p, token, selfClosing: false)
        case .selfClosing: try open(p, token, selfClosing: true)
        case .end: try close(p, token, emit: emit)
        }
    }

    /// Refuses an unfinished token that grows past any legitimate cell (an unterminated tag or a huge text).
    func checkPending(_ count: Int) throws {
        guard count > context.limits.maxCellBytes + 65_536 else { return }
        if inRow, hasCell { throw cellTooLarge() }
        throw WorkbookError(
            .malformedXML, path: context.path, sheet: context.sheet,
            message: "a tag runs on for more than \(count) bytes after row \(rowNumber)")
    }

    private var hasCell: Bool { column > 0 }

    @inline(__always)
    private mutating func appendText(_ p: UnsafeBufferPointer<UInt8>, _ token: XMLToken) throws {
        guard phoneticDepth == 0 else { return }
        if token.kind == .cdata {
            XMLText.appendCDATA(p, token.body, to: &text)
        } else {
            XMLText.appendDecoded(p, token.body, to: &text)
        }
        if text.count > context.limits.maxCellBytes { throw cellTooLarge() }
    }

    @inline(__always)
    private mutating func open(_ p: UnsafeBufferPointer<UInt8>, _ token: XMLToken, selfClosing: Bool) throws {
        let name = token.name
        if name.count == 1 {
            switch p[name.lowerBound] {
            case UInt8(ascii: "c"):
                try startCell(p, token.body)
                if selfClosing { try finishCell() }
            case UInt8(ascii: "v"):
                // An inline string's text is in <is>; a stray <v> beside it is ignored, as calamine does.
                collecting = !selfClosing && cellType != .inline
                hasValue = true
            case UInt8(ascii: "t"):
                collecting = inInline && !selfClosing
                run = XLSXTextRun(p, token.body, start: text.count)
            default: break
            }
        } else if XMLScanner.equals(p, name, "row") {
            startRow(p, token.body)
            if selfClosing { inRow = false }
        } else if XMLScanner.equals(p, name, "is") {
            inInline = !selfClosing
            hasValue = true
        } else if XMLScanner.equals(p, name, "rPh"), !selfClosing {
            phoneticDepth += 1
        }
    }

    @inline(__always)
    private mutating func close(
        _ p: UnsafeBufferPointer<UInt8>, _ token: XMLToken, emit: (Int, [CellValue]) throws -> Void
    ) throws {
        let name = token.name
        if name.count == 1 {
            switch p[name.lowerBound] {
            case UInt8(ascii: "c"): try finishCell()
            case UInt8(ascii: "v"): collecting = false
            case UInt8(ascii: "t"):
                if collecting { run.finish(&text) }
                collecting = false
            default: break
            }
        } else if XMLScanner.equals(p, name, "row") {
            try finishRow(emit: emit)
        } else if XMLScanner.equals(p, name, "is") {
            inInline = false
        } else if XMLScanner.equals(p, name, "rPh") {
            phoneticDepth = max(phoneticDepth - 1, 0)
        }
    }

    private mutating func startRow(_ p: UnsafeBufferPointer<UInt8>, _ body: Range<Int>) {
        var number: Int?
        XMLScanner.forEachAttribute(p, in: body) { name, value in
            if XMLScanner.equals(p, name, "r") { number = XLSXNumber.integer(UnsafeBufferPointer(rebasing: p[value])) }
        }
        rowNumber = number ?? rowNumber + 1
        inRow = true
        column = 0
        cells.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func startCell(_ p: UnsafeBufferPointer<UInt8>, _ body: Range<Int>) throws {
        var reference: Int?
        var type = CellType.number
        var styleIndex = 0
        XMLScanner.forEachAttribute(p, in: body) { name, value in
            guard name.count == 1 else { return }
            switch p[name.lowerBound] {
            case UInt8(ascii: "r"): reference = Self.columnIndex(p, value)
            case UInt8(ascii: "s"): styleIndex = XLSXNumber.integer(UnsafeBufferPointer(rebasing: p[value])) ?? 0
            case UInt8(ascii: "t"): type = Self.cellType(p, value)
            default: break
            }
        }
        column = reference ?? column + 1
        cellType = type
        style = styleIndex
        hasValue = false
        collecting = false
        text.removeAll(keepingCapacity: true)
        if column > context.limits.maxColumns {
            throw WorkbookError(
                .tooManyColumns, path: context.path, sheet: context.sheet, cell: cellReference,
                message: "column \(column) is past the limit of \(context.limits.maxColumns)")
        }
    }

    /// The 1-based column of a reference such as `B12` or `$AA$3`, or nil when it has no letters.
    @inline(__always)
    private static func columnIndex(_ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> Int? {
        var index = 0
        for k in value {
            let b = p[k] | 0x20
            if b >= UInt8(ascii: "a"), b <= UInt8(ascii: "z") {
                index = index * 26 + Int(b - UInt8(ascii: "a")) + 1
                if index > 1 << 30 { return index }
            } else if p[k] != UInt8(ascii: "$") {
                break
            }
        }
        return index > 0 ? index : nil
    }

    private static func cellType(_ p: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> CellType {
        if XMLScanner.equals(p, value, "s") { return .shared }
        if XMLScanner.equals(p, value, "str") { return .formulaString }
        if XMLScanner.equals(p, value, "inlineStr") { return .inline }
        if XMLScanner.equals(p, value, "b") { return .bool }
        if XMLScanner.equals(p, value, "e") { return .error }
        if XMLScanner.equals(p, value, "d") { return .isoDate }
        return .number
    }

    private mutating func finishCell() throws {
        collecting = false
        guard inRow, hasValue else { return }
        let value = try cellValue()
        if case .empty = value { return }
        if cells.count < column { cells.append(contentsOf: repeatElement(.empty, count: column - cells.count)) }
        cells[column - 1] = value
    }

    private mutating func finishRow(emit: (Int, [CellValue]) throws -> Void) throws {
        inRow = false
        guard !cells.isEmpty else { return }
        try emit(rowNumber, cells)
    }

    /// The cell in A1 notation, for messages.
    var cellReference: String { SourceLocation.columnLetters(column) + String(rowNumber) }

    func cellTooLarge() -> WorkbookError {
        WorkbookError(
            .cellTooLarge, path: context.path, sheet: context.sheet, cell: cellReference,
            message: "over \(context.limits.maxCellBytes) bytes")
    }

    /// The value of the finished cell from its type, style and collected text.
    @inline(__always)
    private func cellValue() throws -> CellValue {
        switch cellType {
        case .number: return numberValue()
        case .shared: return try sharedString()
        case .formulaString, .inline: return .text(XMLText.string(fromCellBytes: text))
        case .bool: return .bool(text.first == UInt8(ascii: "1") || text.first == UInt8(ascii: "t"))
        case .error: return text.isEmpty ? .empty : .error(String(decoding: text, as: UTF8.self))
        case .isoDate:
            let raw = String(decoding: text, as: UTF8.self)
            return XLSXISODate.value(raw) ?? (raw.isEmpty ? .empty : .text(raw))
        }
    }

    @inline(__always)
    private func numberValue() -> CellValue {
        guard !text.isEmpty else { return .empty }
        guard let number = text.withUnsafeBufferPointer({ XLSXNumber.parse($0) }) else {
            return .text(String(decoding: text, as: UTF8.self))
        }
        let kind = style < context.styleKinds.count ? context.styleKinds[style] : .number
        switch kind {
        case .number: return .number(number)
        case .duration: return .duration((number * 86_400_000).rounded() / 1000)  // Excel keeps milliseconds
        case .date:
            guard let (date, seconds) = CalendarDate.fromExcelSerial(number, is1904: context.is1904) else {
                return .number(number)
            }
            return .date(date, secondsOfDay: seconds)
        }
    }

    private func sharedString() throws -> CellValue {
        guard let index = text.withUnsafeBufferPointer({ XLSXNumber.integer($0) }) else { return .empty }
        guard index < context.sharedStrings.count else {
            throw WorkbookError(
                .malformedXML, path: context.path, sheet: context.sheet, cell: cellReference,
                message: "shared string #\(index) does not exist; the workbook has \(context.sharedStrings.count)")
        }
        return .text(context.sharedStrings[index])
    }
}
