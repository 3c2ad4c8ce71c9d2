import Foundation
import PasserelleCore

/// The bar chart of the statement page: the gross of the last months, drawn as inline SVG (no script, no network).
///
/// One bar per month of the payouts' `history` table, scaled to the largest month; each bar carries a `<title>`
/// with the exact figure, and the month's own bar is darker.
enum StatementChart {
    static let width = 720
    static let height = 240
    static let top = 20
    static let bottom = 40

    static func svg(_ history: Table, current: FinanceMonth) -> String {
        let months = history.rows.map { row in
            (
                id: history.value("month", in: row).text ?? "", label: history.value("label", in: row).text ?? "",
                gross: history.value("gross", in: row).money ?? .zero
            )
        }
        let largest = max(months.map(\.gross.cents).max() ?? 0, 1)
        let slot = Double(width) / Double(max(months.count, 1))
        let plot = Double(height - top - bottom)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
        svg += "viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Montant brut des séjours versés, par mois de départ\">\n"
        svg += "<line x1=\"0\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>\n"
        for (i, month) in months.enumerated() {
            let barHeight = plot * Double(month.gross.cents) / Double(largest)
            let x = Double(i) * slot + slot * 0.15
            let y = Double(height - bottom) - barHeight
            let fill = month.id == current.description ? "#1f4e79" : "#8fb3d9"
            svg += "<rect x=\"\(format(x))\" y=\"\(format(y))\" width=\"\(format(slot * 0.7))\" "
            svg += "height=\"\(format(barHeight))\" fill=\"\(fill)\">"
            svg += "<title>\(FinanceHTML.escape(month.label)) : \(FinanceHTML.escape(month.gross.frenchText))</title></rect>\n"
            svg += "<text x=\"\(format(x + slot * 0.35))\" y=\"\(height - bottom + 16)\" font-size=\"11\" "
            svg += "text-anchor=\"middle\">\(FinanceHTML.escape(month.label))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A coordinate with one decimal, locale-free.
    private static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
