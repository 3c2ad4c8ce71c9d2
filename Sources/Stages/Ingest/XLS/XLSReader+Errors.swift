import CFreeXL

extension XLSReader {
    /// Wraps a freexl status code into a `WorkbookError` at the C boundary (STYLE.md 2.5).
    static func error(
        for status: Int32, path: String, sheet: String? = nil, cell: String? = nil, during action: String
    ) -> WorkbookError {
        let detail = "libfreexl: \(reason(status)) while \(action)"
        switch status {
        case FREEXL_FILE_NOT_FOUND:
            return WorkbookError(.fileNotFound, path: path, sheet: sheet, cell: cell, message: detail)
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND, FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE:
            return WorkbookError(.notAWorkbook, path: path, sheet: sheet, cell: cell, message: detail)
        case FREEXL_UNSUPPORTED_CHARSET, FREEXL_INVALID_CHARACTER:
            return WorkbookError(.unsupported, path: path, sheet: sheet, cell: cell, message: detail)
        default:
            return WorkbookError(.damagedArchive, path: path, sheet: sheet, cell: cell, message: detail)
        }
    }

    /// freexl's own description of a status code, in words.
    private static func reason(_ status: Int32) -> String {
        switch status {
        case FREEXL_FILE_NOT_FOUND: "file not found"
        case FREEXL_INSUFFICIENT_MEMORY: "a record asks for more memory than is available (crafted or corrupt file)"
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE: "not an OLE2 compound file"
        case FREEXL_CFBF_READ_ERROR, FREEXL_CFBF_SEEK_ERROR: "the file is truncated"
        case FREEXL_CFBF_INVALID_SECTOR_SIZE, FREEXL_CFBF_EMPTY_FAT_CHAIN, FREEXL_CFBF_ILLEGAL_FAT_ENTRY,
            FREEXL_INVALID_MINI_STREAM, FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
            "the compound-file allocation table is corrupt"
        case FREEXL_BIFF_INVALID_BOF: "invalid BIFF record header"
        case FREEXL_BIFF_INVALID_SST, FREEXL_BIFF_ILLEGAL_SST_INDEX: "the shared-string table is corrupt"
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND: "no Workbook stream (not an Excel file, or an encrypted one)"
        case FREEXL_BIFF_ILLEGAL_SHEET_INDEX, FREEXL_BIFF_UNSELECTED_SHEET: "no such worksheet"
        case FREEXL_INVALID_CHARACTER, FREEXL_UNSUPPORTED_CHARSET: "text in an unsupported code page"
        case FREEXL_ILLEGAL_CELL_ROW_COL: "cell outside the sheet"
        case FREEXL_ILLEGAL_RK_VALUE: "invalid RK number"
        case FREEXL_CRAFTED_FILE: "the file is severely corrupted or crafted"
        default: "error code \(status)"
        }
    }
}
