import Foundation
import Mustache
import PasserelleCore
import Testing

@testable import PasserelleStages

/// A section with `html_rows` lists that many rows on the page and says how many more the workbook holds.
@Suite struct HTMLReportLimitTests {
    static let template = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../reports/report.html.mustache")

    static func page(htmlRows: Int?) throws -> String {
        let rows = (1...5).map { [Value.text("SEJ-\($0)")] }
        let section = ReportData.Section(
            title: "Séjours créés", headers: ["Référence"], rows: rows, empty: "Aucun.", htmlRows: htmlRows)
        let data = ReportData(title: "Rapport", sections: [section])
        let source = try String(contentsOf: template, encoding: .utf8)
        return try MustacheTemplate(string: source).render(
            HTMLReportOutput.context(data, pipeline: "daily-import", asOf: Date(timeIntervalSince1970: 0)))
    }

    @Test func aCappedSectionShowsItsFirstRowsAndCountsTheRest() throws {
        let page = try Self.page(htmlRows: 2)
        #expect(page.contains("<td>SEJ-2</td>"))
        #expect(!page.contains("<td>SEJ-3</td>"))
        #expect(page.contains("… et 3 lignes de plus, non affichées ici"))
        #expect(page.contains("Séjours créés</a> (5)"))
    }

    @Test func anUncappedSectionShowsEveryRow() throws {
        let page = try Self.page(htmlRows: nil)
        #expect(page.contains("<td>SEJ-5</td>"))
        #expect(!page.contains("de plus, non affichées"))
    }
}
