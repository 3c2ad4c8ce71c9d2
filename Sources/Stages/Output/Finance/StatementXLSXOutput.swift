import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes the month's commission statement as a workbook: summary, detail and cancellations.
///
/// The summary has one row per provider (gross, commission, fees, net, payout date, invoice number); each net
/// is the formula `=Brut−Commission−Frais` and the totals row is `SUM` formulas, all with their values cached so
/// a reader that does not recalculate shows the right figures. The detail lists every stay paid, the
/// cancellations sheet the cancelled stays departing in the month. Euro format, dd/mm/yyyy dates, frozen
/// header, autofilter, column widths, document properties; rows are streamed (libxlsxwriter's constant-memory
/// mode) unless `constant_memory: false`. Reads the upstream `transform.monthly_payouts` stage (and
/// `output.commission_invoices`, when there is one, for the invoice numbers). A month without stays gives the
/// same sheets with a line saying so.
///
/// ```yaml
/// statement_xlsx:
///   kind: output.statement_xlsx
///   inputs: [invoices]
///   options: { file: "releve-commissions-${month}.xlsx", company: Centrale de réservation Vallée Blanche }
/// ```
struct StatementXLSXOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.statement_xlsx",
        summary: "Write the month's commission statement workbook (summary with SUM formulas, detail, cancellations).",
        options: [
            OptionSpec("file", .string, "The workbook's name in the run folder (default releve-commissions.xlsx)."),
            OptionSpec("company", .string, "Who issues the statement (document properties)."),
            OptionSpec("constant_memory", .boolean, "Stream rows to disk (default true)."),
        ], inputs: 1...8)

    let file: String
    let company: String?
    let isConstantMemory: Bool

    init(spec: StageSpec) throws {
        file = spec.options.string("file") ?? "releve-commissions.xlsx"
        company = spec.options.string("company")
        isConstantMemory = spec.options.boolean("constant_memory") ?? true
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let data = try StatementData(inputs, stage: context.stageName)
        try context.writeOutput(named: file) { url in try write(data, to: url, created: context.asOf) }
        let rows = data.payouts.rows.count + data.detail.rows.count + data.cancellations.rows.count
        return StageOutput(tables: [:], rowsIn: rows, rowsOut: rows)
    }

    private func write(_ data: StatementData, to url: URL, created: Date) throws {
        let properties = XLSXDocumentProperties(
            title: "Relevé des commissions — \(data.month.frenchName)",
            subject: "Versements aux hébergeurs, commissions et frais de \(data.month.frenchName)",
            author: company, company: company, category: "Finance", keywords: "commissions, versements, \(data.month)",
            comments: "Produit par Passerelle")
        let document = try XLSXDocument(
            path: url.path, created: created, properties: properties, isConstantMemory: isConstantMemory)
        try StatementSheets.summary(document.addSheet("Synthèse"), data)
        try StatementSheets.table(
            document.addSheet("Détail"), title: "Détail des séjours versés — \(data.month.frenchName)",
            columns: StatementColumn.detail, table: data.detail, empty: "Aucun séjour versé ce mois-ci.")
        try StatementSheets.table(
            document.addSheet("Annulations"), title: "Annulations (exclues des versements) — \(data.month.frenchName)",
            columns: StatementColumn.cancellations, table: data.cancellations, empty: "Aucune annulation ce mois-ci.")
        try document.close()
    }
}

/// The sheets of the statement workbook, written row by row in order (constant-memory mode).
enum StatementSheets {
    static let headerRow = 2

    /// The summary: a row per provider, net as a formula, a totals row of SUM formulas with cached values.
    static func summary(_ sheet: XLSXSheetWriter, _ data: StatementData) throws {
        let columns = StatementColumn.summary
        try sheet.writeTitle(row: 0, text: "Relevé des commissions — \(data.month.frenchName)")
        for (c, column) in columns.enumerated() { try sheet.setColumnWidth(column: c, width: column.width) }
        let first = headerRow + 1
        let last = first + max(data.payouts.rows.count, 1) - 1
        try sheet.setAutofilter(headerRow: headerRow, lastRow: last, columns: columns.count)
        try sheet.writeHeader(row: headerRow, columns.map(\.header))
        let fields = columns.map { data.payouts.column($0.field) }
        for (r, row) in data.payouts.rows.enumerated() {
            try summaryRow(sheet, data, row, fields: fields, at: first + r)
        }
        if data.payouts.rows.isEmpty { try sheet.write(row: first, column: 0, value: .text("Aucun versement ce mois-ci.")) }
        try totals(sheet, data, row: last + 1, range: (first + 1, last + 1))
    }

    /// One provider's row: the cells before the net, the net as a formula with its value cached, the cells after
    /// it (in column order, as a streamed sheet needs), fields found by index rather than by name.
    private static func summaryRow(
        _ sheet: XLSXSheetWriter, _ data: StatementData, _ row: Row, fields: [Int?], at excelIndex: Int
    ) throws {
        let columns = StatementColumn.summary
        var values = fields.map { field in field.map(row.value(at:)) ?? .null }
        if let c = columns.firstIndex(where: { $0.field == "invoice_number" }) {
            let provider = data.payouts.value("provider_code", in: row).text ?? ""
            values[c] = data.invoiceNumbers[provider].map(Value.text) ?? .null
        }
        let net = columns.firstIndex { $0.field == "net" } ?? columns.count
        try sheet.write(row: excelIndex, values: Array(values[..<net]))
        guard net < values.count else { return }
        let r = excelIndex + 1
        try sheet.writeFormula(row: excelIndex, column: net, formula: "=D\(r)-E\(r)-F\(r)", cached: values[net])
        try sheet.write(row: excelIndex, column: net + 1, values: Array(values[(net + 1)...]))
    }

    private static func totals(_ sheet: XLSXSheetWriter, _ data: StatementData, row: Int, range: (Int, Int)) throws {
        try sheet.writeTotalLabel(row: row, column: 0, text: "Total")
        let figures: [(Int, Value)] = [
            (2, .integer(data.count("stays"))), (3, .money(data.total("gross"))),
            (4, .money(data.total("commission"))), (5, .money(data.total("fees"))), (6, .money(data.total("net"))),
        ]
        for (c, value) in figures {
            let letter = XLSXSheetWriter.columnLetters(c)
            try sheet.writeFormula(
                row: row, column: c, formula: "=SUM(\(letter)\(range.0):\(letter)\(range.1))", cached: value, total: true)
        }
        try sheet.write(row: row, column: 7, value: .date(data.month.lastDay))
    }

    /// A plain table sheet: title, header, one row per table row (or a line saying there is none).
    static func table(
        _ sheet: XLSXSheetWriter, title: String, columns: [StatementColumn], table: Table, empty: String
    ) throws {
        try sheet.writeTitle(row: 0, text: title)
        for (c, column) in columns.enumerated() { try sheet.setColumnWidth(column: c, width: column.width) }
        try sheet.setAutofilter(headerRow: headerRow, lastRow: headerRow + max(table.rows.count, 1), columns: columns.count)
        try sheet.writeHeader(row: headerRow, columns.map(\.header))
        if table.rows.isEmpty { try sheet.write(row: headerRow + 1, column: 0, value: .text(empty)) }
        // A row at a time, fields found once: the detail has a row per stay paid (about 200 000 a month for a
        // million stays a season).
        let fields = columns.map { table.column($0.field) }
        for (r, row) in table.rows.enumerated() {
            try sheet.write(
                row: headerRow + 1 + r,
                values: fields.map { field in field.map(row.value(at:)) ?? .null })
        }
    }
}
