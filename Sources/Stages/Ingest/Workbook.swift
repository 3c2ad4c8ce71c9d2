import Foundation
import PasserelleCore

/// Which sheet of a workbook to read.
package enum SheetSelector: Sendable, Hashable, CustomStringConvertible {
    /// The sheet with this exact name (as shown on its tab).
    case name(String)
    /// The sheet at this 1-based position in the workbook's tab order.
    case position(Int)

    /// `'Séjours'` or `#2`, for messages.
    package var description: String {
        switch self {
        case .name(let name): "'\(name)'"
        case .position(let position): "#\(position)"
        }
    }
}

/// Safety caps applied while reading untrusted workbooks.
///
/// Workbooks come from outside (booking channels, partner offices), so a crafted file must end in a
/// `WorkbookError`, never in exhausted memory or an endless read.
package struct WorkbookLimits: Sendable, Hashable {
    /// Total bytes inflated from one archive before the read stops (zip-bomb guard).
    package var maxInflatedBytes: Int64
    /// Largest inflated/compressed ratio tolerated for one part once it passes `ratioCheckThreshold` bytes.
    ///
    /// Real sheets compress less than 100:1; deflate cannot exceed about 1032:1.
    package var maxCompressionRatio: Double
    /// Bytes a part must inflate to before the ratio is checked (tiny parts often compress extremely well).
    package var ratioCheckThreshold: Int64
    /// Largest text of one cell or shared string, in UTF-8 bytes (Excel's own limit is 32 767 characters).
    package var maxCellBytes: Int
    /// Highest column index accepted (Excel's XFD is 16 384).
    package var maxColumns: Int

    /// Creates limits; the defaults suit every real workbook seen so far.
    package init(
        maxInflatedBytes: Int64 = 2 << 30, maxCompressionRatio: Double = 1000,
        ratioCheckThreshold: Int64 = 8 << 20, maxCellBytes: Int = 1 << 20, maxColumns: Int = 16_384
    ) {
        self.maxInflatedBytes = maxInflatedBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioCheckThreshold = ratioCheckThreshold
        self.maxCellBytes = maxCellBytes
        self.maxColumns = maxColumns
    }
}

/// A spreadsheet file opened for reading, sheet by sheet.
///
/// Readers stream where the format allows it (`.xlsx`); the legacy `.xls` reader loads one sheet at a time.
package protocol WorkbookReader {
    /// The file, as given to `openWorkbook(at:limits:)`; used in every message.
    var path: String { get }
    /// Worksheet names in tab order.
    var sheetNames: [String] { get }
    /// Streams the rows of one sheet in order.
    ///
    /// `row` is 1-based; `cells[0]` is column A; sparse rows come with `.empty` in the gaps; rows absent
    /// from the file are not reported (the caller sees the gap in row numbers). The `cells` array is only
    /// valid during the call: copy it to keep it.
    func readRows(of sheet: SheetSelector, _ body: (_ row: Int, _ cells: [CellValue]) throws -> Void) throws
}

/// Opens a workbook, choosing the reader from the file's first bytes (then its extension).
///
/// ```swift
/// let book = try openWorkbook(at: "sample-data/sejours.xlsx")
/// try book.readRows(of: .position(1)) { row, cells in print(row, cells) }
/// ```
package func openWorkbook(at path: String, limits: WorkbookLimits = .init()) throws -> any WorkbookReader {
    let magic = try WorkbookFormat.leadingBytes(of: path, count: 8)
    let ext = (path as NSString).pathExtension.lowercased()
    switch WorkbookFormat.detect(magic: magic, extension: ext) {
    case .zip:
        return try XLSXReader(path: path, limits: limits)
    case .compoundFile:
        if ext != "xls" || WorkbookFormat.compoundFileIsEncrypted(path: path) {
            throw WorkbookError(.passwordProtected, path: path)
        }
        return try XLSReader(path: path)
    case .unknown:
        throw WorkbookError(
            .notAWorkbook, path: path, message: "its first bytes are neither a zip nor an Excel 97 file")
    }
}

/// Container formats recognised from a file's magic bytes.
enum WorkbookFormat {
    case zip, compoundFile, unknown

    /// `PK\3\4` (or an empty zip's `PK\5\6`) is `.xlsx`; `D0 CF 11 E0` is OLE2/CFB (`.xls`, or an encrypted `.xlsx`).
    static func detect(magic: [UInt8], extension ext: String) -> WorkbookFormat {
        if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) || magic.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if magic.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .compoundFile }
        return .unknown
    }

    /// The first `count` bytes of the file (fewer when the file is shorter).
    static func leadingBytes(of path: String, count: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WorkbookError(.fileNotFound, path: path)
        }
        defer { try? handle.close() }  // try?: closing a read-only handle loses no data
        do {
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw WorkbookError(.fileNotFound, path: path, message: "\(error)")
        }
    }

    /// Whether a compound file holds an `EncryptionInfo` stream (Office's encrypted-package wrapper).
    ///
    /// The directory entry names are UTF-16LE; the first megabyte holds the directory in every encrypted
    /// file Office writes.
    static func compoundFileIsEncrypted(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }  // try?: closing a read-only handle loses no data
        // try?: an unreadable file is reported by the reader that opens it next.
        guard let data = try? handle.read(upToCount: 1 << 20) else { return false }
        let needle = Data("EncryptionInfo".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        return data.range(of: needle) != nil
    }
}

/// A workbook that cannot be read, with the place (file, sheet, cell) and what the user can do about it.
///
/// ```
/// sample-data/sejours.xlsx: the workbook is password-protected; save an unprotected copy from Excel
/// (File > Info > Protect Workbook) and import that.
/// ```
package struct WorkbookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; stable, so tests and reports can name it.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable {
            case fileNotFound, notAWorkbook, damagedArchive, passwordProtected, sheetNotFound, zipBomb
            case forbiddenXML, malformedXML, cellTooLarge, tooManyColumns, unsupported
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The file does not exist or cannot be read.
        package static let fileNotFound = Code(.fileNotFound)
        /// The file is neither an `.xlsx` zip nor an Excel 97–2003 file.
        package static let notAWorkbook = Code(.notAWorkbook)
        /// The zip or compound file is truncated or corrupt.
        package static let damagedArchive = Code(.damagedArchive)
        /// The workbook is encrypted with a password.
        package static let passwordProtected = Code(.passwordProtected)
        /// No sheet has the requested name or position.
        package static let sheetNotFound = Code(.sheetNotFound)
        /// A part inflates beyond `WorkbookLimits` (size or compression ratio).
        package static let zipBomb = Code(.zipBomb)
        /// A part declares a DOCTYPE or entities, which Office never writes (entity-expansion guard).
        package static let forbiddenXML = Code(.forbiddenXML)
        /// A part's XML is cut short or not well-formed where the reader needs it.
        package static let malformedXML = Code(.malformedXML)
        /// One cell's text exceeds `WorkbookLimits.maxCellBytes`.
        package static let cellTooLarge = Code(.cellTooLarge)
        /// A cell lies beyond `WorkbookLimits.maxColumns`.
        package static let tooManyColumns = Code(.tooManyColumns)
        /// A valid file in a variant this reader does not handle (e.g. a BIFF feature libfreexl rejects).
        package static let unsupported = Code(.unsupported)

        /// The code's stable name, e.g. `passwordProtected`.
        package var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    package let code: Code
    /// The workbook file, as the user named it.
    package let path: String
    /// The sheet, when the failure is inside one.
    package let sheet: String?
    /// The cell (`B12`) or row (`row 12`), when known.
    package let cell: String?
    /// Technical detail (the underlying library's wording), shown after the main sentence.
    package let message: String

    /// Creates an error; `message` adds detail to the sentence chosen by `code`.
    package init(_ code: Code, path: String, sheet: String? = nil, cell: String? = nil, message: String = "") {
        self.code = code
        self.path = path
        self.sheet = sheet
        self.cell = cell
        self.message = message
    }

    /// A full sentence naming the file (and sheet and cell when known), the problem and the remedy.
    package var description: String {
        var place = path
        if let sheet { place += ":\(sheet)" + (cell.map { "!\($0)" } ?? "") }
        let detail = message.isEmpty ? "" : " (\(message))"
        return "\(place): \(problemAndRemedy(detail: detail))"
    }

    private func problemAndRemedy(detail: String) -> String {
        switch code {
        case .fileNotFound:
            return "the file cannot be opened\(detail); check the path and that the file is readable."
        case .notAWorkbook:
            return "the file is not an Excel workbook\(detail); save it from Excel as .xlsx and import that."
        case .damagedArchive:
            return "the workbook is damaged\(detail); open it in Excel, save a repaired copy as .xlsx and import that."
        case .passwordProtected:
            return "the workbook is password-protected\(detail); save an unprotected copy from Excel "
                + "(File > Info > Protect Workbook) and import that."
        case .sheetNotFound:
            return "the sheet does not exist\(detail); check the sheet name or position in the pipeline."
        case .zipBomb:
            return "the workbook inflates far beyond any real spreadsheet\(detail) and was not read; "
                + "re-save it from Excel, or raise the limit only if you trust its sender."
        case .forbiddenXML:
            return "the workbook contains a DOCTYPE or entity declaration\(detail), which Excel never writes; "
                + "re-save it from Excel and import that."
        case .malformedXML:
            return "the workbook's XML is malformed\(detail); open it in Excel, save a repaired copy and import that."
        case .cellTooLarge:
            return "a cell holds more text than allowed\(detail); shorten that cell or split it, then import again."
        case .tooManyColumns:
            return "a cell lies beyond the last allowed column\(detail); remove the stray cells and import again."
        default:
            return "the workbook uses a format this reader does not support\(detail); "
                + "save it from Excel as .xlsx and import that."
        }
    }
}
