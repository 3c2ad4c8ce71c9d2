import Foundation
import PasserelleCore

/// Streams the rows of `.xlsx` / `.xlsm` workbooks.
///
/// Opening reads the small workbook-level parts (relationships, workbook, styles); shared strings are loaded on
/// the first `readRows`; sheet XML is inflated and cut into tokens in 256 KiB chunks on a thread of its own
/// while the calling thread turns the tokens into rows, so memory does not grow with the number of rows. Dates
/// are recognised from the cell's style (built-in and custom formats, calamine's rule) and the 1900/1904 date
/// system.
final class XLSXReader: WorkbookReader {
    let path: String
    private let package: XLSXPackage
    private let structure: XLSXStructure
    private var sharedStrings: [String]?

    var sheetNames: [String] { structure.sheets.map(\.name) }

    /// Opens the archive and reads the workbook structure.
    init(path: String, limits: WorkbookLimits) throws {
        self.path = path
        package = try XLSXPackage(path: path, limits: limits)
        structure = try XLSXStructure(package: package)
    }

    func readRows(of selector: SheetSelector, _ body: (_ row: Int, _ cells: [CellValue]) throws -> Void) throws {
        let sheet = try resolve(selector)
        guard let partPath = sheet.partPath, package.contains(partPath) else {
            throw WorkbookError(
                .damagedArchive, path: path, sheet: sheet.name,
                message: "the sheet's part \(sheet.partPath ?? "(no relationship)") is missing from the archive")
        }
        let strings = try loadSharedStrings()
        let context = XLSXSheetParser.Context(
            sharedStrings: strings, styleKinds: structure.styleKinds, is1904: structure.is1904,
            limits: package.limits, path: path, sheet: sheet.name)
        try stream(partPath, context: context, body)
    }

    private func stream(
        _ partPath: String, context: XLSXSheetParser.Context, _ body: (Int, [CellValue]) throws -> Void
    ) throws {
        var parser = XLSXSheetParser(context: context)
        do {
            try package.streamTokens(partPath) { batch in
                try batch.forEachToken { p, token in try parser.handle(p, token, emit: body) }
                if !batch.isLast {
                    try parser.checkPending(batch.pendingCount)
                } else if batch.pendingCount > 0 {
                    throw WorkbookError(
                        .malformedXML, path: path, sheet: context.sheet, message: "the sheet's XML ends inside a tag")
                }
            }
        } catch XMLScanError.forbiddenDeclaration {
            throw WorkbookError(.forbiddenXML, path: path, sheet: context.sheet)
        }
    }

    private func loadSharedStrings() throws -> [String] {
        if let sharedStrings { return sharedStrings }
        let loaded = try XLSXSharedStrings.load(structure.sharedStringsPath, from: package)
        sharedStrings = loaded
        return loaded
    }

    /// The sheet named (exactly, then ignoring case as Excel does) or at the 1-based position.
    private func resolve(_ selector: SheetSelector) throws -> XLSXStructure.Sheet {
        let sheets = structure.sheets
        let found: XLSXStructure.Sheet?
        switch selector {
        case .name(let name):
            found = sheets.first { $0.name == name }
                ?? sheets.first { $0.name.compare(name, options: .caseInsensitive) == .orderedSame }
        case .position(let position):
            found = position >= 1 && position <= sheets.count ? sheets[position - 1] : nil
        }
        guard let found else { throw WorkbookError.sheetNotFound(selector, in: path, available: sheetNames) }
        return found
    }
}

extension WorkbookError {
    /// No sheet matches the selector; the message lists the sheets there are.
    static func sheetNotFound(_ selector: SheetSelector, in path: String, available: [String]) -> WorkbookError {
        let list = available.isEmpty ? "none" : available.map { "'\($0)'" }.joined(separator: ", ")
        return WorkbookError(.sheetNotFound, path: path, message: "no sheet \(selector); the workbook has \(list)")
    }
}
