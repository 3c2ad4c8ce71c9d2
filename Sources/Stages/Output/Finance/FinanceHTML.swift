import Foundation
import PasserelleCore

/// Building blocks of the self-contained finance pages (statement, invoices): escaping, tables, the page shell.
///
/// Every value from the data goes through `escape(_:)`; the pages load nothing from the network (inline CSS,
/// inline SVG), so they open offline and print as they show.
enum FinanceHTML {
    /// Escapes text for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and line breaks are not allowed in HTML text.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A value as French text, escaped.
    static func cell(_ value: Value) -> String { escape(value.frenchText) }

    /// Whether a value is aligned right (numbers, money, dates).
    static func isNumeric(_ value: Value) -> Bool {
        switch value {
        case .money, .integer, .percent, .date: true
        default: false
        }
    }

    /// A table of `columns` over `table`'s rows; `empty` is shown in one cell when there is no row.
    static func table(_ table: Table, columns: [StatementColumn], empty: String, footer: [String]? = nil) -> String {
        var html = "<table>\n<thead><tr>"
        html += columns.map { "<th scope=\"col\">\(escape($0.header))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        if table.rows.isEmpty {
            html += "<tr><td colspan=\"\(columns.count)\" class=\"empty\">\(escape(empty))</td></tr>\n"
        }
        for row in table.rows {
            html += "<tr>"
            for column in columns {
                let value = table.value(column.field, in: row)
                html += isNumeric(value) ? "<td class=\"num\">\(cell(value))</td>" : "<td>\(cell(value))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n"
        if let footer {
            html += "<tfoot><tr>" + footer.map { "<td class=\"num\">\($0)</td>" }.joined() + "</tr></tfoot>\n"
        }
        return html + "</table>\n"
    }

    /// A whole page: doctype, language, charset, title, inline CSS and the body.
    static func page(title: String, css: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    /// The shared style: readable on screen, compact on paper (A4, no background colours needed).
    static let baseCSS = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 2rem; }
        h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
        h2 { font-size: 1.15rem; margin-top: 2rem; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
        th, td { border-bottom: 1px solid #d0d0d0; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
        th { background: #efefef; }
        td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        td.empty { font-style: italic; color: #555; }
        tfoot td { font-weight: bold; border-top: 2px solid #1a1a1a; }
        .meta { color: #555; }
        @media print {
          body { margin: 0; font-size: 10pt; }
          th { background: none; }
          h2 { break-after: avoid; }
          tr { break-inside: avoid; }
          @page { size: A4; margin: 15mm; }
        }
        """
}
