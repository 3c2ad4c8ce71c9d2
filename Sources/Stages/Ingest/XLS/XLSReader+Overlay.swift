extension XLSReader {
    /// Reads the BIFF cells freexl skips (`XLSCellOverlay`) and lines its sheets up with freexl's worksheets.
    ///
    /// freexl lists worksheets only; the overlay knows every BOUNDSHEET, so the worksheets are kept, or all
    /// sheets when freexl counted those. Any other mismatch, or a record the overlay cannot read, is an error:
    /// the cells would otherwise come out without their formula results.
    static func overlays(path: String, sheetCount: Int) throws -> [XLSCellOverlay.Sheet] {
        let overlay: XLSCellOverlay
        do {
            overlay = try XLSCellOverlay(path: path)
        } catch {
            throw WorkbookError(
                .damagedArchive, path: path,
                message: "reading formula results from the BIFF records: \(error.description)")
        }
        let worksheets = overlay.sheets.filter(\.isWorksheet)
        if worksheets.count == sheetCount { return worksheets }
        if overlay.sheets.count == sheetCount { return overlay.sheets }
        throw WorkbookError(
            .unsupported, path: path,
            message: "libfreexl lists \(sheetCount) worksheets but the workbook declares \(worksheets.count)")
    }
}
