import Foundation
import PasserelleCore

/// Building blocks of the self-contained finance pages (statement, invoices): escaping, tables, the page shell.
///
/// Every value from the data goes through `escape(_:)`; the pages load nothing from the network (inline CSS,
/// inline SVG), so they open offline and print as they show.
enum FinanceHTML {
    /// Escapes text for HTML content and attribute values (see `HTMLBytes.append(escaping:)`).
    static func escape(_ text: String) -> String {
        var html = HTMLBytes(capacity: text.utf8.count)
        html.append(escaping: text)
        return html.text
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
        var html = HTMLBytes(capacity: 64 + table.rows.count * columns.count * 32)
        append(table, columns: columns, empty: empty, footer: footer, to: &html)
        return html.text
    }

    /// The same table, appended to a page being built as bytes, each field's column found once: the statement's
    /// detail has a row per stay paid in the month.
    static func append(
        _ table: Table, columns: [StatementColumn], empty: String, footer: [String]? = nil, to html: inout HTMLBytes
    ) {
        html.append(tag: "<table>\n<thead><tr>")
        for column in columns { html.append(markup: "<th scope=\"col\">\(escape(column.header))</th>") }
        html.append(tag: "</tr></thead>\n<tbody>\n")
        if table.rows.isEmpty {
            html.append(markup: "<tr><td colspan=\"\(columns.count)\" class=\"empty\">\(escape(empty))</td></tr>\n")
        }
        let fields = columns.map { table.column($0.field) }
        for row in table.rows {
            html.append(tag: "<tr>")
            for field in fields {
                let value = field.map(row.value(at:)) ?? .null
                html.append(tag: isNumeric(value) ? "<td class=\"num\">" : "<td>")
                html.append(french: value)
                html.append(tag: "</td>")
            }
            html.append(tag: "</tr>\n")
        }
        html.append(tag: "</tbody>\n")
        if let footer {
            html.append(tag: "<tfoot><tr>")
            for text in footer { html.append(markup: "<td class=\"num\">\(text)</td>") }
            html.append(tag: "</tr></tfoot>\n")
        }
        html.append(tag: "</table>\n")
    }

    /// A whole page: doctype, language, charset, title, inline CSS and the body.
    static func page(title: String, css: String, body: String) -> String {
        let (head, tail) = pageShell(title: title, css: css)
        return head + body + tail
    }

    /// The page around its body: everything before it (doctype to `<body>`) and after it, so that a large body
    /// can be written between them as bytes.
    static func pageShell(title: String, css: String) -> (head: String, tail: String) {
        let head = """
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

            """
        return (head, "\n</body>\n</html>\n")
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
