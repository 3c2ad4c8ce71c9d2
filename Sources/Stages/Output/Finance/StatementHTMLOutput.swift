import Foundation
import PasserelleCore
import PasserelleEngine
import PasserelleSpec

/// Writes the month's commission statement as one self-contained HTML page.
///
/// The same figures as the workbook: totals, one row per provider (with its invoice number when an
/// `output.commission_invoices` stage is upstream), the stays paid, the cancellations; and a bar chart of the
/// gross of the last twelve months in inline SVG. Inline CSS with a print style; nothing is loaded from the
/// network; every value from the data is escaped. A month without stays gives the page with lines saying so.
///
/// ```yaml
/// statement_html:
///   kind: output.statement_html
///   inputs: [invoices]
///   options: { file: "releve-commissions-${month}.html", company: Centrale de réservation Vallée Blanche }
/// ```
struct StatementHTMLOutput: Stage {
    static let schema = StageKindSchema(
        kind: "output.statement_html",
        summary: "Write the month's commission statement as one self-contained HTML page with a 12-month chart.",
        options: [
            OptionSpec("file", .string, "The page's name in the run folder (default releve-commissions.html)."),
            OptionSpec("company", .string, "Who issues the statement (shown under the title)."),
        ], inputs: 1...8)

    let file: String
    let company: String?

    init(spec: StageSpec) throws {
        file = spec.options.string("file") ?? "releve-commissions.html"
        company = spec.options.string("company")
    }

    func outputShapes(_ inputs: InputShapes) -> [TableShape] { [] }

    func run(_ inputs: StageInputs, in context: StageContext) throws -> StageOutput {
        let data = try StatementData(inputs, stage: context.stageName)
        let html = page(data)
        try context.writeOutput(named: file) { url in try html.write(to: url) }
        let rows = data.payouts.rows.count + data.detail.rows.count + data.cancellations.rows.count
        return StageOutput(tables: [:], rowsIn: rows, rowsOut: rows)
    }

    /// The page as UTF-8 bytes, built without intermediate strings for the large tables (see `HTMLBytes`).
    func page(_ data: StatementData) -> HTMLBytes {
        let title = "Relevé des commissions — \(data.month.frenchName)"
        let (head, tail) = FinanceHTML.pageShell(title: title, css: FinanceHTML.baseCSS)
        let cells = (data.detail.rows.count + data.cancellations.rows.count) * StatementColumn.detail.count
        var html = HTMLBytes(capacity: 16_384 + cells * 40)
        html.append(markup: head)
        html.append(markup: "<header>\n<h1>\(FinanceHTML.escape(title))</h1>\n")
        if let company { html.append(markup: "<p class=\"meta\">\(FinanceHTML.escape(company))</p>\n") }
        html.append(markup: "<p class=\"meta\">Versement le \(data.month.lastDay.frenchText) ")
        html.append(markup: "pour les séjours confirmés dont le départ est en ")
        html.append(markup: "\(FinanceHTML.escape(data.month.frenchName)).</p>\n</header>\n<main>\n")
        html.append(tag: "<h2>Synthèse</h2>\n")
        appendSummary(data, to: &html)
        html.append(markup: "<h2>Douze derniers mois</h2>\n<figure>\n")
        html.append(markup: StatementChart.svg(data.history, current: data.month))
        html.append(tag: "<figcaption>Montant brut des séjours confirmés, par mois de départ.</figcaption>\n")
        html.append(tag: "</figure>\n")
        html.append(tag: "<h2>Détail des séjours versés</h2>\n")
        FinanceHTML.append(
            data.detail, columns: StatementColumn.detail, empty: "Aucun séjour versé ce mois-ci.", to: &html)
        html.append(tag: "<h2>Annulations (exclues des versements)</h2>\n")
        FinanceHTML.append(
            data.cancellations, columns: StatementColumn.cancellations, empty: "Aucune annulation ce mois-ci.",
            to: &html)
        html.append(tag: "</main>\n")
        html.append(markup: tail)
        return html
    }

    private func appendSummary(_ data: StatementData, to html: inout HTMLBytes) {
        let payouts = FinanceHTMLInvoiceColumn.adding(data.invoiceNumbers, to: data.payouts)
        let footer = [
            "Total", "", FinanceHTML.escape(String(data.count("stays"))),
            FinanceHTML.escape(data.total("gross").frenchText), FinanceHTML.escape(data.total("commission").frenchText),
            FinanceHTML.escape(data.total("fees").frenchText), FinanceHTML.escape(data.total("net").frenchText),
            FinanceHTML.escape(data.month.lastDay.frenchText), "",
        ]
        FinanceHTML.append(
            payouts, columns: StatementColumn.summary, empty: "Aucun versement ce mois-ci.", footer: footer, to: &html)
    }
}

/// Adds the invoice number of each provider to the payouts table, for display.
enum FinanceHTMLInvoiceColumn {
    static func adding(_ numbers: [String: String], to table: Table) -> Table {
        var out = Table(fields: table.fields + [Field(name: "invoice_number")])
        for row in table.rows {
            let number = numbers[table.value("provider_code", in: row).text ?? ""].map(Value.text) ?? .null
            out.rows.append(row.appending([number]))
        }
        return out
    }
}
