import Foundation
import PasserelleCore

/// The planning workbook: one sheet per refuge (days × stock types, coloured by conditional formats) and one
/// sheet of sales follow-up.
///
/// A planning cell holds the number of places available, shown with its total by its number format
/// (`18` displays `18 / 24`), so Excel can filter, sum and colour it; closed days say `fermé` on grey (on red
/// with the places booked, when bookings hold places that day), days outside a type's openings `—`. Each stock-type column gets three conditional formats: red when nothing is
/// left (or more is booked than for sale), orange when at most a quarter of the type's places are left, green
/// otherwise.
enum PlanningWorkbook {
    static let headerRow = 3
    static let full = XLSXConditionalFormat(formula: "", background: 0xFFC7CE, fontColor: 0x9C0006)
    static let low = XLSXConditionalFormat(formula: "", background: 0xFFEB9C, fontColor: 0x9C5700)
    static let free = XLSXConditionalFormat(formula: "", background: 0xC6EFCE, fontColor: 0x006100)
    static let closed = XLSXCellStyle(background: 0xD9D9D9, fontColor: 0x595959)

    static func write(_ grids: [PlanningGrid], to url: URL, created: Date) throws {
        let properties = XLSXDocumentProperties(
            title: "Planning des refuges", subject: "Places disponibles par jour et type de stock, suivi des ventes",
            category: "Refuges", keywords: "planning, refuges, ventes", comments: "Produit par Passerelle")
        let document = try XLSXDocument(
            path: url.path, created: created, properties: properties, isConstantMemory: false)
        for grid in grids { try planning(document.addSheet("Planning \(grid.code)"), grid) }
        try sales(document.addSheet("Suivi des ventes"), grids)
        try document.close()
    }

    private static func planning(_ sheet: XLSXSheetWriter, _ grid: PlanningGrid) throws {
        try sheet.writeTitle(row: 0, text: "Planning — \(grid.name) (\(grid.code))")
        try sheet.write(
            row: 1, column: 0,
            value: .text(
                "Places libres / total par jour. Rouge : complet ou surréservé ; orange : peu de places ; "
                    + "vert : places libres ; gris : refuge fermé."))
        try sheet.writeHeader(row: headerRow, ["Date", "Jour"] + grid.types.map(\.name))
        try sheet.setColumnWidth(column: 0, width: 12)
        try sheet.setColumnWidth(column: 1, width: 11)
        for (t, _) in grid.types.enumerated() { try sheet.setColumnWidth(column: 2 + t, width: 16) }
        for (d, day) in grid.days.enumerated() {
            let row = headerRow + 1 + d
            try sheet.write(row: row, column: 0, value: .date(day))
            try sheet.write(row: row, column: 1, value: .text(RefugeText.weekdayNames[day.weekday - 1]))
            for (t, cell) in grid.cells[d].enumerated() {
                guard let cell else { continue }
                try write(cell, sheet, row: row, column: 2 + t)
            }
        }
        try colour(sheet, grid)
    }

    private static func write(_ cell: PlanningGrid.Cell, _ sheet: XLSXSheetWriter, row: Int, column: Int) throws {
        switch cell.state {
        case "closed":
            let style = cell.booked > 0 ? XLSXCellStyle(background: full.background, fontColor: full.fontColor) : closed
            try sheet.write(row: row, column: column, text: cell.text, style: style)
        case "not_open" where cell.booked == 0:
            try sheet.write(row: row, column: column, value: .text(cell.text))
        default:
            let style = XLSXCellStyle(numberFormat: "0\" / \(cell.total)\"")
            try sheet.write(row: row, column: column, number: Double(cell.available), style: style)
        }
    }

    /// Red, orange and green conditional formats over each stock-type column (numbers only: text cells stay).
    private static func colour(_ sheet: XLSXSheetWriter, _ grid: PlanningGrid) throws {
        guard !grid.days.isEmpty else { return }
        let first = headerRow + 1
        let last = headerRow + grid.days.count
        for (t, type) in grid.types.enumerated() {
            let cell = "\(XLSXSheetWriter.columnLetters(2 + t))\(first + 1)"
            let rules = [
                (full, "<=0"), (low, "<=\(type.lowThreshold)"), (free, ">\(type.lowThreshold)"),
            ]
            for (format, test) in rules {
                var rule = format
                rule.formula = "=AND(ISNUMBER(\(cell)),\(cell)\(test))"
                try sheet.addConditionalFormat(
                    rule, firstRow: first, lastRow: last, firstColumn: 2 + t, lastColumn: 2 + t)
            }
        }
    }

    /// Per refuge and month: pre-reservations, reservations, total, cancelled apart.
    private static func sales(_ sheet: XLSXSheetWriter, _ grids: [PlanningGrid]) throws {
        try sheet.writeTitle(row: 0, text: "Suivi des ventes par mois de réservation")
        try sheet.write(row: 1, column: 0, value: .text("Les annulations sont comptées à part, hors du total."))
        try sheet.writeHeader(row: headerRow, ["Refuge", "Mois"] + PlanningGrid.salesHeaders)
        try sheet.setColumnWidth(column: 0, width: 24)
        for c in 1..<(2 + PlanningGrid.salesHeaders.count) { try sheet.setColumnWidth(column: c, width: 15) }
        var row = headerRow + 1
        for grid in grids {
            for month in grid.sales {
                try sheet.write(row: row, column: 0, value: .text(grid.name))
                try sheet.write(row: row, column: 1, value: .text(month.month.frenchName))
                for (c, value) in month.figures.enumerated() { try sheet.write(row: row, column: 2 + c, value: value) }
                row += 1
            }
        }
        if row == headerRow + 1 { try sheet.write(row: row, column: 0, value: .text("Aucune réservation.")) }
    }
}
